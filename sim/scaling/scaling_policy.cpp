#include "sim/scaling/scaling_policy.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace archlab {

namespace {
// Keeps 4.0000000001 instances from becoming 5.
constexpr double rounding_slack = 1e-9;

std::string number(double value)
{
  char text[32];
  std::snprintf(text, sizeof text, "%.4g", value);
  return text;
}

// "alarm cpu_utilization > 50 for 3 of 3 periods (target tracking, latest 82.1 on 2 instances)"
std::string alarm_reason(const char* signal, Comparison comparison, double threshold, const AlarmEvaluation& alarm, int periods,
                         const char* what, int instances = -1)
{
  return std::string("alarm ") + signal + " " + comparison_symbol(comparison) + " " + number(threshold) + " for " +
         std::to_string(alarm.breaching) + " of " + std::to_string(periods) + " periods (" + what + ", latest " +
         number(alarm.latest.value_or(0)) + (instances >= 0 ? " on " + std::to_string(instances) + (instances == 1 ? " instance" : " instances") : "") + ")";
}

bool is_decrease(AdjustmentType type, int current, double change)
{
  return type == AdjustmentType::exact_capacity ? change < current : change < 0;
}
}  // namespace

const std::vector<std::string>& signal_names()
{
  static const std::vector<std::string> names = {"cpu_utilization", "requests_per_target", "queue_depth", "backlog_per_instance"};
  return names;
}

const char* signal_name(Signal signal)
{
  return signal_names()[static_cast<std::size_t>(signal)].c_str();
}

Signal signal_named(const std::string& name)
{
  auto found = std::find(signal_names().begin(), signal_names().end(), name);
  return static_cast<Signal>(found - signal_names().begin());
}

const std::vector<std::string>& adjustment_type_names()
{
  static const std::vector<std::string> names = {"change_in_capacity", "exact_capacity", "percent_change"};
  return names;
}

bool ScalingPolicy::can_scale_in() const
{
  if (type == PolicyType::target_tracking)
    return !is_scale_in_disabled;
  return !is_upper(alarm.comparison);
}

AlarmSpec target_tracking_out_alarm(double target)
{
  return {Comparison::greater, target, 3, 3};
}

AlarmSpec target_tracking_in_alarm(double target)
{
  return {Comparison::less, target, 15, 15};
}

std::optional<Proposal> target_tracking_proposal(const ScalingPolicy& policy, const AlarmEvaluation& out_alarm,
                                                 const AlarmEvaluation& in_alarm, const Capacity& capacity)
{
  const char* signal = signal_name(policy.signal);
  if (out_alarm.state == AlarmState::alarm && out_alarm.latest) {
    // An empty group still needs one instance to measure anything with.
    double needed = std::max(capacity.metric_capacity, 1) * *out_alarm.latest / policy.target;
    int desired = static_cast<int>(std::ceil(needed - rounding_slack));
    if (desired <= capacity.desired)
      return std::nullopt;  // the instances already launched (or warming up) are expected to cover it
    return Proposal{desired, false, alarm_reason(signal, Comparison::greater, policy.target, out_alarm, 3, "target tracking", capacity.metric_capacity)};
  }
  if (in_alarm.state == AlarmState::alarm && in_alarm.latest && !policy.is_scale_in_disabled) {
    double needed = capacity.metric_capacity * *in_alarm.latest / policy.target;
    int desired = std::max(0, static_cast<int>(std::ceil(needed - rounding_slack)));
    if (desired >= capacity.desired)
      return std::nullopt;
    return Proposal{desired, true, alarm_reason(signal, Comparison::less, policy.target, in_alarm, 15, "target tracking", capacity.metric_capacity)};
  }
  return std::nullopt;
}

std::optional<StepAdjustment> step_for(const std::vector<StepAdjustment>& steps, Comparison comparison, double breach)
{
  for (const auto& step : steps) {
    bool holds = is_upper(comparison) ? step.lower <= breach && breach < step.upper : step.lower < breach && breach <= step.upper;
    if (holds)
      return step;
  }
  return std::nullopt;
}

int adjusted_capacity(AdjustmentType type, int current, double change)
{
  switch (type) {
    case AdjustmentType::change_in_capacity: return current + static_cast<int>(std::lround(change));
    case AdjustmentType::exact_capacity: return static_cast<int>(std::lround(change));
    case AdjustmentType::percent_change: {
      double delta = current * change / 100;
      if (delta > 0)
        return current + std::max(1, static_cast<int>(std::floor(delta + rounding_slack)));
      if (delta < 0)
        return current + std::min(-1, static_cast<int>(std::ceil(delta - rounding_slack)));
      return current;
    }
  }
  return current;
}

std::optional<Proposal> step_proposal(const ScalingPolicy& policy, const AlarmEvaluation& alarm, const Capacity& capacity)
{
  if (alarm.state != AlarmState::alarm || !alarm.latest)
    return std::nullopt;
  auto step = step_for(policy.steps, policy.alarm.comparison, *alarm.latest - policy.alarm.threshold);
  if (!step)
    return std::nullopt;
  return Proposal{adjusted_capacity(policy.adjustment, capacity.current, step->change),
                  is_decrease(policy.adjustment, capacity.current, step->change),
                  alarm_reason(signal_name(policy.signal), policy.alarm.comparison, policy.alarm.threshold, alarm,
                               policy.alarm.evaluation_periods, "step")};
}

std::optional<Proposal> simple_proposal(const ScalingPolicy& policy, const AlarmEvaluation& alarm, const Capacity& capacity,
                                        double now_s, double simple_blocked_until_s)
{
  if (alarm.state != AlarmState::alarm || !alarm.latest || now_s < simple_blocked_until_s)
    return std::nullopt;
  return Proposal{adjusted_capacity(policy.adjustment, capacity.current, policy.change),
                  is_decrease(policy.adjustment, capacity.current, policy.change),
                  alarm_reason(signal_name(policy.signal), policy.alarm.comparison, policy.alarm.threshold, alarm,
                               policy.alarm.evaluation_periods, "simple")};
}

Decision decide(const std::vector<ScalingPolicy>& policies, const std::vector<std::optional<Proposal>>& proposals,
                const Capacity& capacity)
{
  Decision decision;
  const Proposal* largest_out = nullptr;
  for (std::size_t i = 0; i < proposals.size(); ++i) {
    const auto& proposal = proposals[i];
    if (!proposal || proposal->is_scale_in || proposal->desired <= capacity.desired)
      continue;
    decision.movers.push_back(i);
    if (!largest_out || proposal->desired > largest_out->desired)
      largest_out = &*proposal;
  }
  if (largest_out) {
    decision.reason = largest_out->reason;
    decision.is_capped = largest_out->desired > capacity.max;
    int desired = std::min(largest_out->desired, capacity.max);
    decision.kind = desired > capacity.desired ? Decision::Kind::scale_out : Decision::Kind::refused_at_max;
    decision.desired = std::max(desired, capacity.desired);
    return decision;
  }

  const Proposal* largest_in = nullptr;
  for (std::size_t i = 0; i < policies.size(); ++i) {
    const auto& proposal = proposals[i];
    bool asks_in = proposal && proposal->is_scale_in && proposal->desired < capacity.desired;
    if (policies[i].can_scale_in() && !asks_in)
      return {};  // in only when every policy able to scale in agrees
    if (!asks_in)
      continue;
    decision.movers.push_back(i);
    if (!largest_in || proposal->desired > largest_in->desired)
      largest_in = &*proposal;
  }
  if (!largest_in || capacity.warming > 0 || capacity.pending > 0)
    return {};
  int desired = std::max(largest_in->desired, capacity.min);
  if (desired >= capacity.desired)
    return {};
  decision.kind = Decision::Kind::scale_in;
  decision.desired = desired;
  decision.reason = largest_in->reason;
  return decision;
}

}  // namespace archlab
