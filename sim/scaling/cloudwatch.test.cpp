#include "sim/scaling/cloudwatch.hpp"
#include "sim/scaling/fleet_metrics.hpp"

#include <catch2/catch.hpp>

using namespace archlab;

TEST_CASE("a datapoint reaches the alarms one publication delay after its period ends", "[scaling]")
{
  MetricSeries series(60, 60, 16);
  series.record(60, 10, 2);
  series.record(120, 20, 2);
  series.record(180, 30, 2);
  auto at_180 = series.window(180, 3);  // the period ending at 180 s is published at 240 s
  REQUIRE(at_180.size() == 3);
  CHECK_FALSE(at_180[0].has_value());  // the period ending at 0: nothing before the start
  CHECK(*at_180[1] == 10);
  CHECK(*at_180[2] == 20);
  auto at_240 = series.window(240, 3);
  CHECK(*at_240[0] == 10);
  CHECK(*at_240[2] == 30);
  CHECK(*series.window(299, 1)[0] == 30);  // evaluated every minute, not at the publication instant
}

TEST_CASE("a datapoint remembers how many instances it was measured over", "[scaling]")
{
  MetricSeries series(60, 60, 16);
  series.record(60, 25, 3);
  series.record(120, 37, 2);
  CHECK(series.instances_behind(60) == 0);
  CHECK(series.instances_behind(120) == 3);
  CHECK(series.instances_behind(180) == 2);
}

TEST_CASE("a period without a datapoint is missing, not zero", "[scaling]")
{
  MetricSeries series(60, 0, 16);
  series.record(60, 80, 2);
  series.record(120, std::nullopt, 2);
  series.record(180, 90, 2);
  auto window = series.window(180, 3);
  CHECK(*window[0] == 80);
  CHECK_FALSE(window[1].has_value());
  CHECK(*window[2] == 90);
}

TEST_CASE("basic monitoring: five-minute periods", "[scaling]")
{
  MetricSeries series(300, 60, 16);
  series.record(300, 40, 2);
  series.record(600, 60, 2);
  CHECK(*series.window(420, 1)[0] == 40);
  CHECK(*series.window(659, 1)[0] == 40);
  CHECK(*series.window(660, 1)[0] == 60);
}

TEST_CASE("an alarm fires on M breaching datapoints out of N, not necessarily in a row", "[scaling]")
{
  AlarmSpec three_of_three{Comparison::greater, 50, 3, 3};
  CHECK(evaluate_alarm(three_of_three, {60.0, 70.0, 80.0}).state == AlarmState::alarm);
  CHECK(evaluate_alarm(three_of_three, {60.0, 40.0, 80.0}).state == AlarmState::ok);
  AlarmSpec two_of_three{Comparison::greater, 50, 3, 2};
  auto spread = evaluate_alarm(two_of_three, {60.0, 40.0, 80.0});
  CHECK(spread.state == AlarmState::alarm);
  CHECK(spread.breaching == 2);
  CHECK(*spread.latest == 80);
}

TEST_CASE("missing datapoints neither breach nor clear an alarm", "[scaling]")
{
  AlarmSpec three_of_three{Comparison::greater, 50, 3, 3};
  CHECK(evaluate_alarm(three_of_three, {std::nullopt, std::nullopt, std::nullopt}).state == AlarmState::insufficient_data);
  auto partial = evaluate_alarm(three_of_three, {std::nullopt, 90.0, 95.0});
  CHECK(partial.state == AlarmState::ok);  // 2 breaching of the 3 needed
  CHECK(partial.present == 2);
}

TEST_CASE("comparisons follow their symbol, threshold included or not", "[scaling]")
{
  CHECK(breaches(Comparison::greater_or_equal, 50, 50));
  CHECK_FALSE(breaches(Comparison::greater, 50, 50));
  CHECK(breaches(Comparison::less_or_equal, 50, 50));
  CHECK_FALSE(breaches(Comparison::less, 50, 50));
  CHECK(comparison_named(">=") == Comparison::greater_or_equal);
  CHECK_FALSE(comparison_named("=>").has_value());
}

TEST_CASE("the group's CPU is the average busy share of its warmed-up instances", "[scaling]")
{
  FleetMetrics metrics(300);
  metrics.add_initial({{0, 0, 0}, {1, 0, 0}}, 0);
  // Over 60 s, instance 0 was busy 30 s and instance 1 busy 60 s: 50 % and 100 %.
  auto figures = metrics.close_period({{0, 30, 120}, {1, 60, 60}}, 60);
  CHECK(*figures.cpu_percent == Approx(75));
  CHECK(*figures.requests_per_instance_per_min == Approx(90));
}

TEST_CASE("a warming instance stays out of the metric but not out of the group", "[scaling]")
{
  FleetMetrics metrics(300);
  metrics.add_initial({{0, 0, 0}}, 0);
  metrics.sync({{0, 10, 0}, {1, 0, 0}}, 30);  // instance 1 goes InService at 30 s
  CHECK(metrics.warming(60) == 1);
  CHECK(metrics.warmed_up(60) == 1);
  auto figures = metrics.close_period({{0, 60, 0}, {1, 0, 0}}, 60);  // idle newcomer: would halve the average
  CHECK(*figures.cpu_percent == Approx(100));
  CHECK(metrics.warming(330) == 0);
  auto later = metrics.close_period({{0, 120, 0}, {1, 0, 0}}, 360);
  CHECK(*later.cpu_percent == Approx(10));  // both count now: (20 % + 0 %) / 2
  CHECK(metrics.warmed_up(360) == 2);
}

TEST_CASE("with no warmed-up instance there is no datapoint", "[scaling]")
{
  FleetMetrics metrics(300);
  metrics.sync({{4, 0, 0}}, 0);
  CHECK_FALSE(metrics.close_period({{4, 50, 10}}, 60).cpu_percent.has_value());
}

TEST_CASE("an instance no longer in the readings has left the group", "[scaling]")
{
  FleetMetrics metrics(0);
  metrics.add_initial({{0, 0, 0}, {1, 0, 0}}, 0);
  metrics.sync({{0, 0, 0}}, 10);
  CHECK(metrics.warmed_up(10) == 1);
}
