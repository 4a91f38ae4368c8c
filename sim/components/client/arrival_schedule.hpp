// When the next request arrives, for open-loop clients. A schedule is a base rate plus steps:
// {"at_s": 60, "rate_per_s": 50} jumps, {"ramp_s": 30} makes it a linear ramp, {"for_s": 10}
// returns to the earlier rate afterwards (a spike). Pure: no SimGrid.
#pragma once

#include "sim/core/random.hpp"

#include <limits>
#include <vector>

namespace archlab {

struct RateStep {
  double at_s = 0;
  double rate_per_s = 0;
  double ramp_s = 0;  // 0: a jump
  double for_s = 0;   // 0: for good
};

class RateSchedule {
public:
  RateSchedule(double base_rate_per_s, std::vector<RateStep> steps);

  double rate_at(double time_s) const;
  // Earliest time after `time_s` at which the rate's formula changes; infinity when it never does.
  double next_change_after(double time_s) const;
  double final_rate_per_s() const { return points_.back().rate_per_s; }  // after the last step, for ever
  double peak_rate_per_s() const;

  static constexpr double NEVER = std::numeric_limits<double>::infinity();

private:
  struct Point {  // the rate is linear between consecutive points
    double time_s;
    double rate_per_s;
  };
  std::vector<Point> points_;
};

// Poisson arrivals at a varying rate by thinning: exact for any piecewise-linear rate, and one
// exponential draw per arrival where the rate is flat. Returns NEVER if no arrival will come.
double next_poisson_arrival(const RateSchedule& schedule, double now_s, Rng& rng);
// Evenly spaced arrivals at the current rate.
double next_constant_arrival(const RateSchedule& schedule, double now_s);

}  // namespace archlab
