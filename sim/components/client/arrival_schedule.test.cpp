#include "sim/components/client/arrival_schedule.hpp"

#include <catch2/catch.hpp>

using namespace archlab;

TEST_CASE("arrival schedule: steps, ramps and spikes give the rate at each time", "[client]")
{
  RateSchedule schedule(10, {{.at_s = 100, .rate_per_s = 50}, {.at_s = 200, .rate_per_s = 0, .ramp_s = 100}, {.at_s = 20, .rate_per_s = 30, .for_s = 10}});
  CHECK(schedule.rate_at(0) == 10);
  CHECK(schedule.rate_at(25) == 30);   // inside the spike
  CHECK(schedule.rate_at(35) == 10);   // back to the earlier rate
  CHECK(schedule.rate_at(150) == 50);
  CHECK(schedule.rate_at(250) == Approx(25));  // halfway down the ramp
  CHECK(schedule.rate_at(400) == 0);
  CHECK(schedule.next_change_after(0) == 20);
  CHECK(schedule.next_change_after(300) == RateSchedule::NEVER);
}

TEST_CASE("arrival schedule: Poisson arrivals at a flat rate average 1/rate apart", "[client]")
{
  RateSchedule schedule(8, {});
  Rng rng(3);
  double t = 0;
  const int n = 200000;
  for (int i = 0; i < n; ++i)
    t = next_poisson_arrival(schedule, t, rng);
  CHECK(t / n == Approx(1.0 / 8).epsilon(0.01));
}

TEST_CASE("arrival schedule: thinning follows a ramp (count in each half matches the integral)", "[client]")
{
  // rate rises linearly from 0 to 100 over 1000 s: expected 12 500 arrivals in the first half, 37 500 in the second
  RateSchedule schedule(0, {{.at_s = 0, .rate_per_s = 100, .ramp_s = 1000}});
  Rng rng(5);
  int first_half = 0, second_half = 0;
  for (double t = next_poisson_arrival(schedule, 0, rng); t < 1000; t = next_poisson_arrival(schedule, t, rng))
    (t < 500 ? first_half : second_half)++;
  CHECK(first_half == Approx(12500).epsilon(0.03));
  CHECK(second_half == Approx(37500).epsilon(0.03));
}

TEST_CASE("arrival schedule: a rate of zero for good means no more arrivals", "[client]")
{
  RateSchedule schedule(5, {{.at_s = 10, .rate_per_s = 0}});
  Rng rng(1);
  double t = 0;
  int count = 0;
  while ((t = next_poisson_arrival(schedule, t, rng)) != RateSchedule::NEVER)
    ++count;
  CHECK(count == Approx(50).margin(25));
  CHECK(next_constant_arrival(schedule, 9.95) == RateSchedule::NEVER);
  CHECK(next_constant_arrival(schedule, 0) == Approx(0.2));
}

TEST_CASE("rate schedule: the rate it ends at, and its peak", "[arrivals]")
{
  RateSchedule ends_at_zero(8, {{10, 0, 0, 0}});
  CHECK(ends_at_zero.final_rate_per_s() == 0);
  CHECK(ends_at_zero.peak_rate_per_s() == 8);
  RateSchedule spike_returns(2, {{10, 50, 5, 30}});
  CHECK(spike_returns.final_rate_per_s() == 2);
  CHECK(spike_returns.peak_rate_per_s() == 50);
  RateSchedule never(0, {});
  CHECK(never.peak_rate_per_s() == 0);
}
