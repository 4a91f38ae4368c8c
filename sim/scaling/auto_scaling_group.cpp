#include "sim/scaling/auto_scaling_group.hpp"

#include "sim/core/json_io.hpp"
#include "sim/core/number_text.hpp"
#include "sim/core/registry.hpp"
#include "sim/core/world.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace archlab {

namespace {
std::string seconds_text(double value) { return number_text(value) + " s"; }
constexpr double evaluation_interval_s = 60;  // alarms with periods of a minute or more: every minute

std::size_t periods_kept(const ScalingPolicy& policy)
{
  return static_cast<std::size_t>(std::max(policy.alarm.evaluation_periods, 15)) + 1;
}
}  // namespace

AutoScalingGroup::AutoScalingGroup(std::string owner_id, const nlohmann::json& scaling, Fleet& fleet, World& world,
                                   bool bills_failed_launches)
    : owner_id_(std::move(owner_id)),
      fleet_(fleet),
      path_("components." + owner_id_ + ".scaling"),
      min_(scaling.at("min").get<int>()),
      max_(scaling.at("max").get<int>()),
      initial_(scaling.value("desired", min_)),
      desired_(initial_),
      launch_time_s_(scaling.at("launch_time_s").get<double>()),
      period_s_(scaling.at("metric_period_s").get<double>()),
      metrics_(scaling.at("instance_warmup_s").get<double>())
{
  (void)world;
  bills_failed_launches_ = bills_failed_launches;
  replaces_unhealthy_ = scaling.value("health_check_type", "ec2") == "elb";
  double delay_s = scaling.at("metric_delay_s").get<double>();
  for (const auto& rule : read_policies(scaling))
    policies_.push_back({rule, MetricSeries(period_s_, delay_s, periods_kept(rule)), nullptr});
  in_service_ = initial_;
  in_service_min_ = in_service_max_ = initial_;
  in_service_level_.set(0, initial_);
  billed_level_.set(0, initial_);
}

void AutoScalingGroup::connect(World& world)
{
  for (std::size_t i = 0; i < policies_.size(); ++i) {
    auto& policy = policies_[i];
    if (policy.rule.queue_id.empty())
      continue;
    // The metric is a signal the component declares, whatever its type (an SQS queue's
    // ApproximateNumberOfMessagesVisible, or any other that declares visible_messages).
    const Component& source = world.component(policy.rule.queue_id);
    auto declared = find_component_type(source.type())->all_signals();
    bool has_signal = std::any_of(declared.begin(), declared.end(), [](const SignalSpec& spec) { return spec.name == "visible_messages"; });
    if (!has_signal)
      throw InputError(join_path(join_path(join_path(path_, "policies"), i), "queue"),
                       "'" + policy.rule.queue_id + "' is a " + source.type() + ", which has no visible_messages signal to count");
    policy.queue = &source;
  }
}

void AutoScalingGroup::start(World& world)
{
  metrics_.add_initial(fleet_.readings(0), 0);
  world.scheduler().at(evaluation_interval_s, [this, &world] { tick(world); });
}

void AutoScalingGroup::tick(World& world)
{
  if (world.control().is_over())
    return;
  complete_launches(world);  // an instance InService this very minute counts in this evaluation
  double now_s = world.now();
  ++ticks_;
  if (std::fmod(static_cast<double>(ticks_) * evaluation_interval_s, period_s_) == 0)
    close_period(now_s);
  metrics_.sync(fleet_.readings(now_s), now_s);
  Capacity capacity{desired_, min_, max_, metrics_.warmed_up(now_s), 0, metrics_.warming(now_s),
                    static_cast<int>(pending_ready_s_.size())};
  std::vector<ScalingPolicy> rules;
  std::vector<std::optional<Proposal>> proposals;
  for (const auto& policy : policies_) {
    rules.push_back(policy.rule);
    proposals.push_back(propose(policy, capacity, now_s));
  }
  apply(decide(rules, proposals, capacity), world);
  world.scheduler().at(static_cast<double>(ticks_ + 1) * evaluation_interval_s, [this, &world] { tick(world); });
}

void AutoScalingGroup::close_period(double now_s)
{
  auto figures = metrics_.close_period(fleet_.readings(now_s), now_s);
  int in_service = static_cast<int>(fleet_.instances_in_service());
  for (auto& policy : policies_) {
    std::optional<double> value;
    int instances = figures.measured;
    switch (policy.rule.signal) {
      case Signal::cpu_utilization: value = figures.cpu_percent; break;
      case Signal::requests_per_target: value = figures.requests_per_instance_per_min; break;
      case Signal::queue_depth:
        value = *policy.queue->signal("visible_messages");
        instances = in_service;
        break;
      case Signal::backlog_per_instance:
        // The AWS recipe divides by every InService instance; an empty group divides by one, so a
        // backlog still shows (and can start the group).
        value = *policy.queue->signal("visible_messages") / static_cast<double>(std::max(in_service, 1));
        instances = in_service;
        break;
    }
    policy.series.record(now_s, value, instances);
  }
}

std::optional<Proposal> AutoScalingGroup::propose(const Policy& policy, const Capacity& capacity, double now_s) const
{
  const auto& rule = policy.rule;
  switch (rule.type) {
    case PolicyType::target_tracking: {
      Capacity own = capacity;
      own.metric_capacity = policy.series.instances_behind(now_s);
      auto out = evaluate_alarm(target_tracking_out_alarm(rule.target), policy.series.window(now_s, 3));
      auto in = evaluate_alarm(target_tracking_in_alarm(rule.target), policy.series.window(now_s, 15));
      return target_tracking_proposal(rule, out, in, own);
    }
    case PolicyType::step:
      return step_proposal(rule, evaluate_alarm(rule.alarm, policy.series.window(now_s, rule.alarm.evaluation_periods)), capacity);
    case PolicyType::simple:
      return simple_proposal(rule, evaluate_alarm(rule.alarm, policy.series.window(now_s, rule.alarm.evaluation_periods)), capacity,
                             now_s, simple_blocked_until_s_);
  }
  return std::nullopt;
}

void AutoScalingGroup::apply(const Decision& decision, World& world)
{
  double now_s = world.now();
  if (decision.kind == Decision::Kind::refused_at_max) {
    ++refused_at_max_;
    if (!is_refusing_)
      world.log().add(now_s, owner_id_, "scale-out refused: " + decision.reason + ": desired already at max " + std::to_string(max_) +
                                            " (counted in refused_at_max every minute the alarm lasts, logged once)");
    is_refusing_ = true;
    return;
  }
  is_refusing_ = false;
  if (decision.kind == Decision::Kind::none)
    return;
  int before = desired_;
  desired_ = decision.desired;
  std::string change = ": desired " + std::to_string(before) + " → " + std::to_string(desired_);
  if (decision.kind == Decision::Kind::scale_out) {
    ++scale_outs_;
    if (decision.is_capped)
      ++refused_at_max_;
    world.log().add(now_s, owner_id_, "scale-out: " + decision.reason + change + (decision.is_capped ? " (capped at max)" : "") +
                                          ", launching " + std::to_string(desired_ - before) + " (InService in " + seconds_text(launch_time_s_) + ")");
    launch(desired_ - before, world);
  } else {
    ++scale_ins_;
    world.log().add(now_s, owner_id_, "scale-in: " + decision.reason + change + ", retiring " + std::to_string(before - desired_));
    retire(before - desired_, world);
  }
  // Simple scaling waits for its activity to finish (the launch), then for the cooldown.
  double cooldown_s = -1;
  for (auto index : decision.movers)
    if (policies_[index].rule.type == PolicyType::simple)
      cooldown_s = std::max(cooldown_s, policies_[index].rule.cooldown_s);
  if (cooldown_s >= 0)
    simple_blocked_until_s_ = now_s + (decision.kind == Decision::Kind::scale_out ? launch_time_s_ : 0) + cooldown_s;
}

void AutoScalingGroup::launch(int count, World& world)
{
  double ready_s = world.now() + launch_time_s_;
  for (int i = 0; i < count; ++i) {
    ++launched_;
    if (bills_failed_launches_)
      billed_level_.add(world.now(), 1);
    pending_ready_s_.push_back(ready_s);  // the same launch time for all: the deque stays sorted
    world.scheduler().after(launch_time_s_, [this, &world] { complete_launches(world); });
  }
}

void AutoScalingGroup::complete_launches(World& world)
{
  if (world.control().is_over())
    return;
  double now_s = world.now();
  while (!pending_ready_s_.empty() && pending_ready_s_.front() <= now_s) {
    pending_ready_s_.pop_front();
    auto outcome = fleet_.instance_ready(world);
    if (outcome == LaunchOutcome::ready && !bills_failed_launches_) {
      billed_level_.add(now_s, 1);
      started_launches_s_ += launch_time_s_;
    }
    if (outcome == LaunchOutcome::ready)
      change_in_service(1, now_s);
    else
      launch_failed(outcome, world);
  }
  metrics_.sync(fleet_.readings(now_s), now_s);
  step_deployment(world);
}

void AutoScalingGroup::retire(int count, World& world)
{
  for (int i = 0; i < count && fleet_.instances_in_service() > 0; ++i) {
    fleet_.retire_instance(world);
    ++retired_;
    billed_level_.add(world.now(), -1);
    change_in_service(-1, world.now());
  }
  metrics_.sync(fleet_.readings(world.now()), world.now());
}

void AutoScalingGroup::instance_lost(World& world)
{
  if (world.control().is_over())
    return;
  double now_s = world.now();
  ++replaced_;
  billed_level_.add(now_s, -1);
  change_in_service(-1, now_s);
  metrics_.sync(fleet_.readings(now_s), now_s);
  world.log().add(now_s, owner_id_, "EC2 health check: an instance is not running; terminating it and launching a replacement (desired stays " +
                                        std::to_string(desired_) + ")");
  launch(1, world);
  step_deployment(world);
}

void AutoScalingGroup::fleet_changed(World& world)
{
  step_deployment(world);
}

void AutoScalingGroup::deploy(const DeploymentRule& rule, World& world)
{
  if (world.control().is_over())
    return;
  double now_s = world.now();
  std::string replaced = deployment_ ? " (the one under way is superseded)" : "";
  fleet_.begin_revision();
  deployment_ = rule;
  deployment_started_s_ = now_s;
  has_logged_stuck_ = false;
  ++deployments_;
  world.log().add(now_s, owner_id_, "deployment " + std::to_string(deployments_) + " started" + replaced + ": at least " +
                                        std::to_string(minimum_healthy_tasks(rule, desired_)) + " healthy, at most " +
                                        std::to_string(maximum_running_tasks(rule, desired_)) + " running, of " +
                                        std::to_string(desired_) + " desired");
  step_deployment(world);
}

void AutoScalingGroup::step_deployment(World& world)
{
  if (!deployment_ || world.control().is_over())
    return;
  if (is_stepping_) {
    needs_step_ = true;
    return;
  }
  is_stepping_ = true;
  do {
    needs_step_ = false;
    double now_s = world.now();
    auto counts = fleet_.revision_counts();
    DeploymentState state{desired_, counts.old_in_service, counts.old_retiring, counts.new_in_service,
                          static_cast<int>(pending_ready_s_.size()) + counts.new_unproven};
    if (is_deployment_done(state)) {
      ++deployments_completed_;
      last_deployment_s_ = now_s - deployment_started_s_;
      world.log().add(now_s, owner_id_, "deployment " + std::to_string(deployments_) + " complete after " + seconds_text(*last_deployment_s_));
      deployment_.reset();
      break;
    }
    if (is_deployment_stuck(*deployment_, state) && !has_logged_stuck_) {
      has_logged_stuck_ = true;
      world.log().add(now_s, owner_id_, "deployment " + std::to_string(deployments_) + " cannot progress: " +
                                            std::to_string(minimum_healthy_tasks(*deployment_, desired_)) + " must stay healthy and at most " +
                                            std::to_string(maximum_running_tasks(*deployment_, desired_)) + " may run");
    }
    auto step = next_deployment_step(*deployment_, state);
    for (int i = 0; i < step.stop_old; ++i) {
      ++deployment_stops_;
      billed_level_.add(now_s, -1);
      change_in_service(-1, now_s);
      fleet_.retire_old_instance(world);
    }
    if (step.start > 0)
      launch(step.start, world);
    metrics_.sync(fleet_.readings(now_s), now_s);
  } while (needs_step_);
  is_stepping_ = false;
}

void AutoScalingGroup::launch_failed(LaunchOutcome outcome, World& world)
{
  double now_s = world.now();
  if (outcome == LaunchOutcome::over_quota) {
    ++refused_at_max_;
    if (!has_logged_quota_)
      world.log().add(now_s, owner_id_, "a launch was refused: the account's vCPU quota is in use; trying again (logged once)");
    has_logged_quota_ = true;
  } else if (++launch_failures_ == 1) {
    world.log().add(now_s, owner_id_, "a launch failed: its image could not be pulled; launching again (logged once)");
  }
  if (bills_failed_launches_)
    billed_level_.add(now_s, -1);
  launch(1, world);
}

void AutoScalingGroup::change_in_service(int delta, double now_s)
{
  in_service_ += delta;
  in_service_level_.set(now_s, in_service_);
  in_service_min_ = std::min(in_service_min_, in_service_);
  in_service_max_ = std::max(in_service_max_, in_service_);
}

double AutoScalingGroup::instance_hours(double end_s) const
{
  return (billed_level_.lifetime_area_until(end_s) + started_launches_s_) / 3600;
}

void AutoScalingGroup::add_summary(nlohmann::json& figures, double end_s) const
{
  double mean = end_s > 0 ? in_service_level_.lifetime_area_until(end_s) / end_s : in_service_;
  figures["instances"] = {{"min", in_service_min_}, {"max", in_service_max_}, {"mean", mean}, {"at_end", in_service_}};
  figures["scaling"] = {{"min", min_},
                        {"max", max_},
                        {"desired_at_end", desired_},
                        {"pending_at_end", pending_ready_s_.size()},
                        {"scale_outs", scale_outs_},
                        {"scale_ins", scale_ins_},
                        {"launched", launched_},
                        {"retired", retired_},
                        {"replaced", replaced_},
                        {"refused_at_max", refused_at_max_},
                        {"launch_failures", launch_failures_},
                        {"instance_hours", instance_hours(end_s)}};
  if (deployments_ > 0)
    figures["scaling"]["deployments"] = {{"started", deployments_},
                                         {"completed", deployments_completed_},
                                         {"stopped_old", deployment_stops_},
                                         {"last_duration_s", last_deployment_s_ ? nlohmann::json(*last_deployment_s_) : nlohmann::json()}};
}

}  // namespace archlab
