#include "sim/components/client/arrival_schedule.hpp"

#include <algorithm>
#include <cmath>

namespace archlab {

RateSchedule::RateSchedule(double base_rate_per_s, std::vector<RateStep> steps)
{
  // Expand spikes into a step there and a step back, then walk the steps in time order.
  std::stable_sort(steps.begin(), steps.end(), [](const RateStep& a, const RateStep& b) { return a.at_s < b.at_s; });
  std::vector<RateStep> expanded;
  double rate_before = base_rate_per_s;
  for (const auto& step : steps) {
    expanded.push_back(step);
    if (step.for_s > 0)
      expanded.push_back({step.at_s + step.ramp_s + step.for_s, rate_before, step.ramp_s, 0});
    else
      rate_before = step.rate_per_s;
  }
  std::stable_sort(expanded.begin(), expanded.end(), [](const RateStep& a, const RateStep& b) { return a.at_s < b.at_s; });

  points_.push_back({0.0, base_rate_per_s});
  for (const auto& step : expanded) {
    double start_s = std::max(step.at_s, points_.back().time_s);
    points_.push_back({start_s, rate_at(start_s)});
    points_.push_back({start_s + step.ramp_s, step.rate_per_s});
  }
}

double RateSchedule::rate_at(double time_s) const
{
  // the last point at or before time_s, interpolated towards the next one
  auto after = std::upper_bound(points_.begin(), points_.end(), time_s, [](double t, const Point& p) { return t < p.time_s; });
  if (after == points_.begin())
    return points_.front().rate_per_s;
  auto before = std::prev(after);
  if (after == points_.end() || after->time_s == before->time_s)
    return before->rate_per_s;
  double fraction = (time_s - before->time_s) / (after->time_s - before->time_s);
  return before->rate_per_s + fraction * (after->rate_per_s - before->rate_per_s);
}

double RateSchedule::peak_rate_per_s() const
{
  double peak = 0;
  for (const auto& point : points_)  // the rate is linear between points, so its peak is at one
    peak = std::max(peak, point.rate_per_s);
  return peak;
}

double RateSchedule::next_change_after(double time_s) const
{
  for (const auto& point : points_)
    if (point.time_s > time_s)
      return point.time_s;
  return NEVER;
}

double next_poisson_arrival(const RateSchedule& schedule, double now_s, Rng& rng)
{
  double t = now_s;
  for (;;) {
    double segment_end = schedule.next_change_after(t);
    double rate_here = schedule.rate_at(t);
    double rate_end = segment_end == RateSchedule::NEVER ? rate_here : schedule.rate_at(std::nextafter(segment_end, 0.0));
    double bound = std::max(rate_here, rate_end);
    if (bound <= 0) {
      if (segment_end == RateSchedule::NEVER)
        return RateSchedule::NEVER;
      t = segment_end;
      continue;
    }
    double candidate = t - std::log(rng.uniform_open01()) / bound;
    if (candidate >= segment_end) {  // memoryless: restart the draw at the boundary
      t = segment_end;
      continue;
    }
    if (rate_here == rate_end)
      return candidate;
    if (rng.uniform01() * bound <= schedule.rate_at(candidate))
      return candidate;
    t = candidate;
  }
}

double next_constant_arrival(const RateSchedule& schedule, double now_s)
{
  double t = now_s;
  for (;;) {
    double rate = schedule.rate_at(t);
    double change = schedule.next_change_after(t);
    if (rate > 0 && t + 1.0 / rate <= change)
      return t + 1.0 / rate;
    if (change == RateSchedule::NEVER)
      return RateSchedule::NEVER;
    t = change;
  }
}

}  // namespace archlab
