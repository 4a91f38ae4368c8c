// What an EC2 Auto Scaling group decides at one alarm evaluation, as pure functions of the alarms
// and the group's capacity (docs/aws-facts.md §3):
// - target tracking: out to ceil(capacity × metric / target) when its out alarm fires, in to the
//   same figure when its in alarm fires (instances added rounded up, instances removed rounded
//   down), with the capacity the datapoint was measured over;
// - step: the step the breach falls in, applied to the current capacity (InService, warmed up), so
//   a repeated alarm in the same step adds nothing while the last instances warm up;
// - simple: one change, then nothing until the activity and the cooldown are over;
// - several policies: out if any asks (the largest wins), in only if every policy that can scale in
//   asks; never outside min..max; no scale-in while instances are pending or warming up.
#pragma once

#include "sim/scaling/cloudwatch.hpp"

#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace archlab {

enum class Signal { cpu_utilization, requests_per_target, queue_depth, backlog_per_instance };
enum class PolicyType { target_tracking, step, simple };
enum class AdjustmentType { change_in_capacity, exact_capacity, percent_change };

const std::vector<std::string>& signal_names();
const char* signal_name(Signal signal);
Signal signal_named(const std::string& name);  // validated already
const std::vector<std::string>& adjustment_type_names();

struct StepAdjustment {
  // Bounds of the breach (metric − threshold). Above the threshold lower is inclusive and upper
  // exclusive; below it the reverse (AWS step adjustments).
  double lower = -std::numeric_limits<double>::infinity();
  double upper = std::numeric_limits<double>::infinity();
  double change = 0;
};

struct ScalingPolicy {
  PolicyType type = PolicyType::target_tracking;
  Signal signal = Signal::cpu_utilization;
  std::string queue_id;                  // queue_depth, backlog_per_instance
  double target = 0;                     // target tracking
  bool is_scale_in_disabled = false;     // target tracking
  AlarmSpec alarm;                       // step, simple
  std::vector<StepAdjustment> steps;     // step
  AdjustmentType adjustment = AdjustmentType::change_in_capacity;  // step, simple
  double change = 0;                     // simple
  double cooldown_s = 300;               // simple

  bool can_scale_in() const;
};

// The alarms Auto Scaling creates for a target tracking policy, in the shape commonly described
// (fact sheet status U for EC2): out after 3 of 3 datapoints above the target, in after 15 of 15 below.
AlarmSpec target_tracking_out_alarm(double target);
AlarmSpec target_tracking_in_alarm(double target);

struct Capacity {
  int desired = 0;
  int min = 0;
  int max = 0;
  int current = 0;          // InService and warmed up: what adjustments start from
  int metric_capacity = 0;  // the instances behind the newest datapoint (target tracking's proportion)
  int warming = 0;
  int pending = 0;          // launched, not yet InService
};

struct Proposal {
  int desired = 0;
  bool is_scale_in = false;  // which way the policy pushes (a scale-out step may propose less than desired)
  std::string reason;        // "alarm cpu_utilization > 70 for 3 of 3 periods"
};

std::optional<Proposal> target_tracking_proposal(const ScalingPolicy& policy, const AlarmEvaluation& out_alarm,
                                                 const AlarmEvaluation& in_alarm, const Capacity& capacity);
std::optional<Proposal> step_proposal(const ScalingPolicy& policy, const AlarmEvaluation& alarm, const Capacity& capacity);
// now_s before simple_blocked_until_s: the last simple activity or its cooldown is not over.
std::optional<Proposal> simple_proposal(const ScalingPolicy& policy, const AlarmEvaluation& alarm, const Capacity& capacity,
                                        double now_s, double simple_blocked_until_s);

// The step whose bounds hold the breach, if any.
std::optional<StepAdjustment> step_for(const std::vector<StepAdjustment>& steps, Comparison comparison, double breach);
// AWS rounding of PercentChangeInCapacity: toward zero, but at least one instance either way.
int adjusted_capacity(AdjustmentType type, int current, double change);

struct Decision {
  enum class Kind { none, scale_out, scale_in, refused_at_max };
  Kind kind = Kind::none;
  int desired = 0;            // the new desired capacity (scale_out, scale_in)
  std::string reason;         // the winning proposal's reason
  std::vector<std::size_t> movers;  // the policies that asked for this change
  bool is_capped = false;     // a scale-out the max cut short
};

// proposals[i] belongs to policies[i]; an empty one: that policy asks for nothing now.
Decision decide(const std::vector<ScalingPolicy>& policies, const std::vector<std::optional<Proposal>>& proposals,
                const Capacity& capacity);

}  // namespace archlab
