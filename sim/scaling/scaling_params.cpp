// The "scaling" object of the model: its parameters (which drive validation, `archlab explain` and
// the docs), the checks across fields, and reading it into policies.
#include "sim/core/json_io.hpp"
#include "sim/scaling/auto_scaling_group.hpp"

#include <algorithm>

namespace archlab {

namespace {
std::vector<std::string> policy_type_names() { return {"target_tracking", "step", "simple"}; }

std::vector<ParamSpec> policy_fields()
{
  return {
      choice_param("type", policy_type_names(), "target_tracking",
                   "target_tracking: hold the signal at a target (its own alarms: out after 3 of 3 datapoints above, in after 15 of 15 below, "
                   "the commonly described shape, unconfirmed for EC2); step: adjust by the size of the alarm's breach; simple: one "
                   "adjustment, then a cooldown"),
      choice_param("signal", signal_names(), "cpu_utilization",
                   "cpu_utilization: busy share of the warmed-up instances' workers (%); requests_per_target: requests per instance per minute; "
                   "queue_depth: ApproximateNumberOfMessagesVisible of `queue`; backlog_per_instance: that ÷ InService instances (AWS's SQS recipe)"),
      reference_param("queue", Interaction::none, "queue_depth, backlog_per_instance: the queue whose visible messages are read"),
      number_param("target", "", nullptr, "target_tracking: the value the signal is held at (e.g. 50 % CPU, or backlog = acceptable latency ÷ time per message)").above(0),
      boolean_param("disable_scale_in", false, "target_tracking: never remove instances"),
      number_param("threshold", "", nullptr, "step, simple: the alarm's threshold on the signal"),
      choice_param("comparison", comparison_symbols(), "", "step, simple: how the signal is compared with the threshold to breach")
          .with_default(nullptr),
      integer_param("evaluation_periods", 1, "step, simple: N, the periods the alarm looks at (assumption: the CloudWatch console's 1)").at_least(1).at_most(60),
      integer_param("datapoints_to_alarm", nullptr, "step, simple: M, breaching periods among the N that put the alarm in ALARM (absent: N)").at_least(1),
      object_list_param("steps",
                        {number_param("lower", "", nullptr, "lower bound of the breach (signal − threshold); absent: no bound"),
                         number_param("upper", "", nullptr, "upper bound of the breach; absent: no bound"),
                         number_param("change", "", nullptr, "the adjustment for a breach in this step").required()},
                        "step: adjustments by breach size; above the threshold lower is inclusive and upper exclusive, below it the reverse"),
      choice_param("adjustment_type", adjustment_type_names(), "change_in_capacity",
                   "step, simple: change is instances to add (negative: remove), the new capacity, or a percentage of the current capacity"),
      number_param("change", "", nullptr, "simple: the adjustment"),
      number_param("cooldown_s", "s", 300, "simple: after an activity, wait this long before reacting again (AWS DefaultCooldown: 300 s)").at_least(0),
  };
}

bool is_queue_signal(const std::string& signal) { return signal == "queue_depth" || signal == "backlog_per_instance"; }

void check_steps(const nlohmann::json& policy, const std::string& path, std::vector<Problem>& problems)
{
  auto comparison = comparison_named(policy.value("comparison", ">"));
  bool is_above = !comparison || is_upper(*comparison);
  const auto& steps = policy.at("steps");
  if (steps.empty())
    problems.push_back({path, "needs at least one step"});
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const auto& step = steps[i];
    auto step_path = join_path(path, i);
    for (const char* bound : {"lower", "upper"})
      if (step.contains(bound) && (is_above ? step.at(bound).get<double>() < 0 : step.at(bound).get<double>() > 0))
        problems.push_back({join_path(step_path, bound), std::string("must be ") + (is_above ? ">= 0" : "<= 0") +
                                                            ": bounds count from the threshold, on the side the alarm breaches"});
    if (step.contains("lower") && step.contains("upper") && step.at("lower").get<double>() >= step.at("upper").get<double>())
      problems.push_back({join_path(step_path, "upper"), "must be above lower"});
  }
}

void check_policy(const nlohmann::json& policy, const std::string& path, std::vector<Problem>& problems)
{
  auto type = policy.at("type").get<std::string>();
  auto signal = policy.at("signal").get<std::string>();
  auto needs = [&](const char* field, const char* why) {
    if (!policy.contains(field))
      problems.push_back({join_path(path, field), std::string("is required for ") + why});
  };
  auto refuses = [&](const char* field, const char* who) {
    if (policy.contains(field))
      problems.push_back({join_path(path, field), "is not used by a " + type + " policy (only by " + who + ")"});
  };
  if (is_queue_signal(signal))
    needs("queue", "a queue signal (the queue whose messages are counted)");
  else
    refuses("queue", "the queue_depth and backlog_per_instance signals");
  if (type == "target_tracking") {
    needs("target", "target tracking");
    if (signal == "queue_depth")
      problems.push_back({join_path(path, "signal"), "queue_depth does not fall as instances are added, so target tracking cannot hold it "
                                                     "(AWS says so): use backlog_per_instance"});
    refuses("threshold", "step and simple policies");
    refuses("comparison", "step and simple policies");
    refuses("steps", "step policies");
    refuses("change", "simple policies");
    return;
  }
  needs("threshold", "an alarm");
  needs("comparison", "an alarm");
  refuses("target", "target tracking policies");
  if (policy.contains("datapoints_to_alarm") && policy.at("datapoints_to_alarm").get<int>() > policy.at("evaluation_periods").get<int>())
    problems.push_back({join_path(path, "datapoints_to_alarm"), "must be at most evaluation_periods (M of N)"});
  if (type == "step") {
    needs("steps", "a step policy");
    refuses("change", "simple policies (a step policy's changes are in its steps)");
    if (policy.contains("steps"))
      check_steps(policy, join_path(path, "steps"), problems);
  } else {
    needs("change", "a simple policy");
    refuses("steps", "step policies");
  }
}
}  // namespace

ParamSpec AutoScalingGroup::scaling_param()
{
  return object_param(
             "scaling",
             {
                 integer_param("min", nullptr, "MinSize: the group never has fewer instances").at_least(0).at_most(10000).required(),
                 integer_param("max", nullptr, "MaxSize: the group never has more; a scale-out beyond it is refused (at most 10,000)")
                     .at_least(1)
                     .at_most(10000)
                     .required(),
                 integer_param("desired", nullptr, "desired capacity at time 0, all InService (absent: min)").at_least(0).at_most(10000),
                 number_param("launch_time_s", "s", 60,
                              "launch to InService: EC2 boot plus the application's start (assumption: EC2 boots to SSH in about "
                              "25–60 s by third-party measurements, fact sheet §3; a quick application start on top)")
                     .at_least(0),
                 choice_param("health_check_type", {"ec2", "elb"}, "ec2",
                              "HealthCheckType: ec2 replaces an instance that stops running; elb also one its load balancer marks "
                              "unhealthy (a hung process). An ECS service behind a load balancer always does the latter"),
                 number_param("instance_warmup_s", "s", 300,
                              "DefaultInstanceWarmup: after InService, an instance stays out of the group's metrics and blocks scale-in "
                              "this long (AWS has no default; unset, it falls back to DefaultCooldown, 300 s)")
                     .at_least(0),
                 integer_param("metric_period_s", 60,
                               "CloudWatch period of the signals: 60 with detailed monitoring (AWS recommends it for scaling), 300 with basic")
                     .at_least(60),
                 number_param("metric_delay_s", "s", 60,
                              "from the end of a period until its datapoint reaches the alarms (assumption: AWS gives no general "
                              "figure; a new metric can take up to 2 min)")
                     .at_least(0),
                 object_list_param("policies", policy_fields(),
                                   "scaling policies: out if any asks (the largest wins), in only when every policy able to scale in asks"),
             },
             "an EC2 Auto Scaling group: instances launched and retired by policies on CloudWatch alarms, and replaced when they stop running")
      .absent_unless_given();
}

void AutoScalingGroup::check(const nlohmann::json& scaling, const std::string& path, std::vector<Problem>& problems)
{
  if (!scaling.contains("min") || !scaling.contains("max"))
    return;  // reported as required
  int min = scaling.at("min").get<int>();
  int max = scaling.at("max").get<int>();
  if (max < min)
    problems.push_back({join_path(path, "max"), "must be at least min (" + std::to_string(min) + ")"});
  if (scaling.contains("desired")) {
    int desired = scaling.at("desired").get<int>();
    if (desired < min || desired > max)
      problems.push_back({join_path(path, "desired"), "must be within min..max (" + std::to_string(min) + ".." + std::to_string(max) + ")"});
  }
  if (scaling.at("metric_period_s").get<int>() % 60 != 0)
    problems.push_back({join_path(path, "metric_period_s"), "must be a multiple of 60 (alarms are evaluated every minute): 60 or 300"});
  const auto& policies = scaling.value("policies", nlohmann::json::array());
  for (std::size_t i = 0; i < policies.size(); ++i)
    check_policy(policies[i], join_path(join_path(path, "policies"), i), problems);
}

std::vector<ScalingPolicy> AutoScalingGroup::read_policies(const nlohmann::json& scaling)
{
  std::vector<ScalingPolicy> policies;
  for (const auto& entry : scaling.value("policies", nlohmann::json::array())) {
    ScalingPolicy policy;
    auto type = entry.at("type").get<std::string>();
    policy.type = type == "step" ? PolicyType::step : type == "simple" ? PolicyType::simple : PolicyType::target_tracking;
    policy.signal = signal_named(entry.at("signal").get<std::string>());
    policy.queue_id = entry.value("queue", "");
    policy.target = entry.value("target", 0.0);
    policy.is_scale_in_disabled = entry.at("disable_scale_in").get<bool>();
    if (entry.contains("comparison"))
      policy.alarm.comparison = *comparison_named(entry.at("comparison").get<std::string>());
    policy.alarm.threshold = entry.value("threshold", 0.0);
    policy.alarm.evaluation_periods = entry.at("evaluation_periods").get<int>();
    policy.alarm.datapoints_to_alarm = entry.value("datapoints_to_alarm", policy.alarm.evaluation_periods);
    for (const auto& step : entry.value("steps", nlohmann::json::array())) {
      StepAdjustment adjustment;
      adjustment.lower = step.value("lower", adjustment.lower);
      adjustment.upper = step.value("upper", adjustment.upper);
      adjustment.change = step.at("change").get<double>();
      policy.steps.push_back(adjustment);
    }
    auto adjustment = entry.at("adjustment_type").get<std::string>();
    policy.adjustment = static_cast<AdjustmentType>(
        std::find(adjustment_type_names().begin(), adjustment_type_names().end(), adjustment) - adjustment_type_names().begin());
    policy.change = entry.value("change", 0.0);
    policy.cooldown_s = entry.at("cooldown_s").get<double>();
    policies.push_back(policy);
  }
  return policies;
}

}  // namespace archlab
