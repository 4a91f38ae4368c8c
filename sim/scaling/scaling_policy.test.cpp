#include "sim/scaling/scaling_policy.hpp"

#include <catch2/catch.hpp>

using namespace archlab;

namespace {
AlarmEvaluation firing(double latest, int breaching = 3)
{
  return {AlarmState::alarm, breaching, breaching, latest};
}
const AlarmEvaluation quiet{AlarmState::ok, 0, 3, 10.0};

Capacity group(int desired, int current, int warming = 0, int pending = 0, int min = 1, int max = 10)
{
  return {desired, min, max, current, current, warming, pending};
}

ScalingPolicy tracking(double target, Signal signal = Signal::cpu_utilization)
{
  ScalingPolicy policy;
  policy.type = PolicyType::target_tracking;
  policy.signal = signal;
  policy.target = target;
  return policy;
}

ScalingPolicy step_out()
{
  ScalingPolicy policy;
  policy.type = PolicyType::step;
  policy.alarm = {Comparison::greater, 70, 3, 3};
  policy.steps = {{0, 10, 1}, {10, std::numeric_limits<double>::infinity(), 3}};
  return policy;
}

ScalingPolicy simple(double change, Comparison comparison = Comparison::greater)
{
  ScalingPolicy policy;
  policy.type = PolicyType::simple;
  policy.alarm = {comparison, 70, 1, 1};
  policy.change = change;
  return policy;
}
}  // namespace

TEST_CASE("target tracking alarms: out after 3 of 3 above, in after 15 of 15 below", "[scaling]")
{
  auto out = target_tracking_out_alarm(50);
  auto in = target_tracking_in_alarm(50);
  CHECK(out.evaluation_periods == 3);
  CHECK(out.datapoints_to_alarm == 3);
  CHECK(in.evaluation_periods == 15);
  CHECK(in.datapoints_to_alarm == 15);
  std::vector<std::optional<double>> fourteen_low(14, 20.0);
  fourteen_low.insert(fourteen_low.begin(), 60.0);
  CHECK(evaluate_alarm(in, fourteen_low).state == AlarmState::ok);
  CHECK(evaluate_alarm(in, std::vector<std::optional<double>>(15, 20.0)).state == AlarmState::alarm);
}

TEST_CASE("target tracking scales out in proportion, rounding the instances added up", "[scaling]")
{
  auto proposal = target_tracking_proposal(tracking(50), firing(90), quiet, group(2, 2));
  REQUIRE(proposal);
  CHECK(proposal->desired == 4);  // 2 × 90 / 50 = 3.6
  CHECK_FALSE(proposal->is_scale_in);
  CHECK(proposal->reason.find("cpu_utilization > 50") != std::string::npos);
}

TEST_CASE("the SQS backlog recipe: 1500 messages, 10 instances, target 100 gives 15 instances", "[scaling]")
{
  auto proposal = target_tracking_proposal(tracking(100, Signal::backlog_per_instance), firing(150), quiet, group(10, 10, 0, 0, 1, 20));
  REQUIRE(proposal);
  CHECK(proposal->desired == 15);
}

TEST_CASE("target tracking: a repeated alarm adds nothing while the last instances warm up", "[scaling]")
{
  // 2 warmed-up instances still at 90 %, 2 more warming: 2 × 90 / 50 rounds to 4, already desired.
  CHECK_FALSE(target_tracking_proposal(tracking(50), firing(90), quiet, group(4, 2, 2)).has_value());
  auto higher = target_tracking_proposal(tracking(50), firing(140), quiet, group(4, 2, 2));
  REQUIRE(higher);
  CHECK(higher->desired == 6);
}

TEST_CASE("target tracking scales in removing instances rounded down, so the metric stays under the target", "[scaling]")
{
  auto proposal = target_tracking_proposal(tracking(50), quiet, firing(30, 15), group(4, 4));
  REQUIRE(proposal);
  CHECK(proposal->is_scale_in);
  CHECK(proposal->desired == 3);  // 4 × 30 / 50 = 2.4 instances needed: remove 1.6, rounded down to 1
  auto disabled = tracking(50);
  disabled.is_scale_in_disabled = true;
  CHECK_FALSE(target_tracking_proposal(disabled, quiet, firing(30, 15), group(4, 4)).has_value());
}

TEST_CASE("target tracking takes the proportion with the capacity the datapoint was measured over", "[scaling]")
{
  // Just after a scale-in from 3 to 2, the newest datapoint still shows 3 instances at 24 %: 1.5
  // instances' worth of load, so 2 is right and nothing more is removed.
  auto just_after = group(2, 2);
  just_after.metric_capacity = 3;
  CHECK_FALSE(target_tracking_proposal(tracking(50), quiet, firing(24, 15), just_after).has_value());
}

TEST_CASE("step scaling picks the step the breach falls in", "[scaling]")
{
  auto policy = step_out();
  CHECK(step_proposal(policy, firing(75), group(2, 2))->desired == 3);
  CHECK(step_proposal(policy, firing(80), group(2, 2))->desired == 5);  // lower bound inclusive
  CHECK(step_proposal(policy, firing(95), group(2, 2))->desired == 5);
  CHECK_FALSE(step_proposal(policy, quiet, group(2, 2)).has_value());
}

TEST_CASE("step bounds below the threshold: upper inclusive, lower exclusive", "[scaling]")
{
  std::vector<StepAdjustment> steps = {{-10, 0, -1}, {-std::numeric_limits<double>::infinity(), -10, -2}};
  CHECK(step_for(steps, Comparison::less, -5)->change == -1);
  CHECK(step_for(steps, Comparison::less, -10)->change == -2);
  CHECK(step_for(steps, Comparison::less, 0)->change == -1);
  CHECK(step_for(steps, Comparison::less, -25)->change == -2);
  CHECK_FALSE(step_for(steps, Comparison::less, 3).has_value());
}

TEST_CASE("step scaling keeps reacting: same step while warming adds nothing, a higher step adds the difference", "[scaling]")
{
  auto policy = step_out();
  std::vector<ScalingPolicy> policies = {policy};
  auto warming = group(3, 2, 1);  // the first +1 is warming up
  CHECK(decide(policies, {step_proposal(policy, firing(75), warming)}, warming).kind == Decision::Kind::none);
  auto higher = decide(policies, {step_proposal(policy, firing(85), warming)}, warming);
  CHECK(higher.kind == Decision::Kind::scale_out);
  CHECK(higher.desired == 5);
  auto warmed = group(3, 3);  // without warm-up, the same alarm adds again
  CHECK(decide(policies, {step_proposal(policy, firing(75), warmed)}, warmed).desired == 4);
}

TEST_CASE("percent change rounds toward zero but moves at least one instance", "[scaling]")
{
  CHECK(adjusted_capacity(AdjustmentType::percent_change, 10, 12.7) == 11);
  CHECK(adjusted_capacity(AdjustmentType::percent_change, 100, 12.7) == 112);
  CHECK(adjusted_capacity(AdjustmentType::percent_change, 3, 10) == 4);
  CHECK(adjusted_capacity(AdjustmentType::percent_change, 15, -44.5) == 9);  // -6.67 → -6
  CHECK(adjusted_capacity(AdjustmentType::percent_change, 3, -10) == 2);
  CHECK(adjusted_capacity(AdjustmentType::exact_capacity, 3, 7) == 7);
  CHECK(adjusted_capacity(AdjustmentType::change_in_capacity, 3, -2) == 1);
}

TEST_CASE("simple scaling waits for its activity and cooldown", "[scaling]")
{
  auto policy = simple(2);
  CHECK_FALSE(simple_proposal(policy, firing(90, 1), group(2, 2), 100, 400).has_value());
  auto proposal = simple_proposal(policy, firing(90, 1), group(2, 2), 400, 400);
  REQUIRE(proposal);
  CHECK(proposal->desired == 4);
}

TEST_CASE("several policies: out if any asks, and the largest wins", "[scaling]")
{
  std::vector<ScalingPolicy> policies = {tracking(50), step_out()};
  auto capacity = group(2, 2);
  auto decision = decide(policies, {Proposal{3, false, "a"}, Proposal{5, false, "b"}}, capacity);
  CHECK(decision.kind == Decision::Kind::scale_out);
  CHECK(decision.desired == 5);
  CHECK(decision.reason == "b");
}

TEST_CASE("several policies: in only when every policy able to scale in asks", "[scaling]")
{
  std::vector<ScalingPolicy> policies = {tracking(50), tracking(100, Signal::requests_per_target), step_out()};
  auto capacity = group(4, 4);
  CHECK(decide(policies, {Proposal{3, true, "a"}, std::nullopt, std::nullopt}, capacity).kind == Decision::Kind::none);
  auto both = decide(policies, {Proposal{2, true, "a"}, Proposal{3, true, "b"}, std::nullopt}, capacity);
  CHECK(both.kind == Decision::Kind::scale_in);
  CHECK(both.desired == 3);  // the larger capacity wins
}

TEST_CASE("desired stays within min and max, and a scale-out the max stops is refused", "[scaling]")
{
  std::vector<ScalingPolicy> policies = {tracking(50)};
  auto capped = decide(policies, {Proposal{12, false, "a"}}, group(8, 8));
  CHECK(capped.kind == Decision::Kind::scale_out);
  CHECK(capped.desired == 10);
  CHECK(capped.is_capped);
  auto refused = decide(policies, {Proposal{12, false, "a"}}, group(10, 10));
  CHECK(refused.kind == Decision::Kind::refused_at_max);
  CHECK(refused.desired == 10);
  auto floor = decide(policies, {Proposal{0, true, "a"}}, group(3, 3, 0, 0, 2));
  CHECK(floor.kind == Decision::Kind::scale_in);
  CHECK(floor.desired == 2);
  CHECK(decide(policies, {Proposal{1, true, "a"}}, group(2, 2, 0, 0, 2)).kind == Decision::Kind::none);
}

TEST_CASE("no scale-in while instances are pending or warming up", "[scaling]")
{
  std::vector<ScalingPolicy> policies = {tracking(50)};
  CHECK(decide(policies, {Proposal{2, true, "a"}}, group(4, 3, 1)).kind == Decision::Kind::none);
  CHECK(decide(policies, {Proposal{2, true, "a"}}, group(4, 3, 0, 1)).kind == Decision::Kind::none);
  CHECK(decide(policies, {Proposal{2, true, "a"}}, group(4, 4)).kind == Decision::Kind::scale_in);
}

TEST_CASE("a scale-out policy proposing less than desired is not a scale-in", "[scaling]")
{
  std::vector<ScalingPolicy> policies = {step_out(), simple(-1, Comparison::less)};
  auto capacity = group(4, 2, 2);
  CHECK(decide(policies, {Proposal{3, false, "out"}, std::nullopt}, capacity).kind == Decision::Kind::none);
  auto warmed = group(4, 4);
  auto in = decide(policies, {Proposal{5, false, "x"}, Proposal{3, true, "in"}}, warmed);
  CHECK(in.kind == Decision::Kind::scale_out);  // out wins over in
}
