#include "sim/components/load_balancer/load_balancer.hpp"

#include "sim/core/clock.hpp"
#include "sim/core/world.hpp"

namespace archlab {

namespace {
void check_load_balancer(const nlohmann::json& params, const std::string& path, std::vector<Problem>& problems)
{
  if (params.at("targets").empty())
    problems.push_back({path + ".targets", "needs at least one target"});
  if (params.contains("weights") && params.at("weights").size() != params.at("targets").size())
    problems.push_back({path + ".weights", "needs one weight per target (" + std::to_string(params.at("targets").size()) + ")"});
  if (params.at("policy") == "weighted" && !params.contains("weights"))
    problems.push_back({path + ".weights", "the weighted policy needs one weight per target"});
  const auto& health = params.at("health_check");
  if (health.at("timeout_s").get<double>() >= health.at("interval_s").get<double>())
    problems.push_back({path + ".health_check.timeout_s", "must be shorter than interval_s"});
}
}  // namespace

ComponentType LoadBalancer::type_description()
{
  std::vector<ParamSpec> health_fields = {
      boolean_param("enabled", true, "whether targets are checked at all"),
      number_param("interval_s", "s", 30, "time between two checks of one target").at_least(5).at_most(300),
      number_param("timeout_s", "s", 5, "a check with no answer within this fails").at_least(2).at_most(120),
      integer_param("healthy_threshold", 5, "consecutive passes to bring a target back").at_least(2).at_most(10),
      integer_param("unhealthy_threshold", 2, "consecutive failures to take a target out").at_least(2).at_most(10),
  };
  return {
      .name = "load_balancer",
      .summary = "spreads requests over the instances of its targets; health checks take dead ones out",
      .aws_counterpart = "Application Load Balancer (target group)",
      .params =
          {
              reference_list_param("targets", Interaction::sync_call, "components behind it; each instance of a service is one target").required(),
              choice_param("policy", balancing_policy_names(), "round_robin", "how the next target is chosen (ALB: round_robin by default)"),
              number_list_param("weights", "", "relative weight of each target, for the weighted policy").at_least(0),
              object_param("health_check", health_fields, "target health checks (ALB defaults)"),
          },
      .create = [](const ComponentSetup& setup) -> std::unique_ptr<Component> { return std::make_unique<LoadBalancer>(setup); },
      .check = check_load_balancer,
      .fault_actions = {},
  };
}

LoadBalancer::LoadBalancer(const ComponentSetup& setup)
    : Component(setup.id, "load_balancer"),
      policy_(balancing_policy_named(setup.params.at("policy").get<std::string>())),
      target_ids_(setup.params.at("targets").get<std::vector<std::string>>()),
      rng_(setup.world.rng(setup.id + "/balancing"))
{
  const auto& health = setup.params.at("health_check");
  health_settings_ = {health.at("enabled").get<bool>(), health.at("interval_s").get<double>(), health.at("timeout_s").get<double>(),
                      health.at("healthy_threshold").get<int>(), health.at("unhealthy_threshold").get<int>()};
  weights_by_id_ = setup.params.contains("weights") ? setup.params.at("weights").get<std::vector<double>>()
                                                     : std::vector<double>(target_ids_.size(), 1.0);
}

void LoadBalancer::connect(World& world)
{
  for (std::size_t i = 0; i < target_ids_.size(); ++i)
    for (Endpoint* endpoint : world.component(target_ids_[i]).endpoints()) {
      targets_.push_back(Target{.endpoint = endpoint, .health = {}});
      views_.push_back({.weight = weights_by_id_[i]});
    }
}

void LoadBalancer::start(World& world)
{
  if (!health_settings_.is_enabled)
    return;
  Rng phase_rng = world.rng(id() + "/health_check_phase");
  for (std::size_t i = 0; i < targets_.size(); ++i)  // checks of different targets are not in lockstep
    at(phase_rng.uniform01() * health_settings_.interval_s, [this, i, &world] { check_health(i, world); });
}

void LoadBalancer::check_health(std::size_t target_index, World& world)
{
  if (world.control().is_over())
    return;
  Target& target = targets_[target_index];
  bool passed = target.endpoint->answers_health_check();
  // A dead instance refuses the connection at once; a live one answers well within the timeout.
  if (record_health_check(target.health, passed, health_settings_)) {
    views_[target_index].is_healthy = target.health.is_healthy;
    if (!target.health.is_healthy)
      ++target.times_marked_unhealthy;
    world.log().add(now(), id(), "target " + target.endpoint->endpoint_name() +
                                     (target.health.is_healthy ? " healthy again" : " marked unhealthy") + " after " +
                                     std::to_string(passed ? target.health.passes_in_a_row : target.health.failures_in_a_row) +
                                     (passed ? " passed" : " failed") + " checks");
  }
  after(health_settings_.interval_s, [this, target_index, &world] { check_health(target_index, world); });
}

void LoadBalancer::accept(const Call& call)
{
  double now_s = now();
  stats_.arrive();
  stats_.busy.add(now_s, 1);
  auto chosen = choose_target(policy_, views_, memory_, rng_);
  std::uint32_t slot;
  if (free_pending_.empty()) {
    slot = static_cast<std::uint32_t>(pending_.size());
    pending_.push_back({});
  } else {
    slot = free_pending_.back();
    free_pending_.pop_back();
  }
  pending_[slot] = {call, now_s, static_cast<std::uint32_t>(chosen)};
  ++views_[chosen].outstanding;
  ++targets_[chosen].requests;
  targets_[chosen].endpoint->accept(Call{call.request, this, slot});
}

void LoadBalancer::on_answer(const Call& call, Outcome outcome)
{
  auto slot = static_cast<std::uint32_t>(call.tag);
  Pending pending = pending_[slot];
  free_pending_.push_back(slot);
  --views_[pending.target].outstanding;
  double now_s = now();
  stats_.busy.add(now_s, -1);
  if (outcome == Outcome::rejected)
    stats_.reject();
  else
    stats_.finish(now_s - pending.arrived_s, outcome == Outcome::ok);
  pending.call.caller->on_answer(pending.call, outcome);
}

void LoadBalancer::add_summary(nlohmann::json& summary, double) const
{
  nlohmann::json targets = nlohmann::json::object();
  for (const auto& target : targets_)
    targets[target.endpoint->endpoint_name()] = {{"requests", target.requests},
                                                 {"healthy_at_end", target.health.is_healthy},
                                                 {"times_marked_unhealthy", target.times_marked_unhealthy}};
  summary["targets"] = targets;
}

}  // namespace archlab
