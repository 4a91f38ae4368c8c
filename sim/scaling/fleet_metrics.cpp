#include "sim/scaling/fleet_metrics.hpp"

#include <limits>
#include <set>

namespace archlab {

void FleetMetrics::add_initial(const std::vector<InstanceReading>& readings, double now_s)
{
  for (const auto& reading : readings)
    tracked_[reading.instance_id] = {-std::numeric_limits<double>::infinity(), now_s, reading.busy_s, reading.requests};
}

void FleetMetrics::sync(const std::vector<InstanceReading>& readings, double now_s)
{
  std::set<std::uint64_t> present;
  for (const auto& reading : readings) {
    present.insert(reading.instance_id);
    if (!tracked_.count(reading.instance_id))
      tracked_[reading.instance_id] = {now_s, now_s, reading.busy_s, reading.requests};
  }
  for (auto it = tracked_.begin(); it != tracked_.end();)
    it = present.count(it->first) ? std::next(it) : tracked_.erase(it);
}

PeriodFigures FleetMetrics::close_period(const std::vector<InstanceReading>& readings, double now_s)
{
  sync(readings, now_s);
  double cpu_sum = 0;
  double rate_sum = 0;
  int measured = 0;
  for (const auto& reading : readings) {
    Tracked& tracked = tracked_.at(reading.instance_id);
    double elapsed_s = now_s - tracked.since_s;
    if (!is_warming(tracked, now_s) && elapsed_s > 0) {
      cpu_sum += (reading.busy_s - tracked.busy_s) / elapsed_s;
      rate_sum += static_cast<double>(reading.requests - tracked.requests) / elapsed_s * 60;
      ++measured;
    }
    tracked.since_s = now_s;
    tracked.busy_s = reading.busy_s;
    tracked.requests = reading.requests;
  }
  PeriodFigures figures;
  figures.measured = measured;
  if (measured > 0) {
    figures.cpu_percent = 100 * cpu_sum / measured;
    figures.requests_per_instance_per_min = rate_sum / measured;
  }
  return figures;
}

int FleetMetrics::warming(double now_s) const
{
  int count = 0;
  for (const auto& [id, tracked] : tracked_)
    count += is_warming(tracked, now_s) ? 1 : 0;
  return count;
}

int FleetMetrics::warmed_up(double now_s) const
{
  return static_cast<int>(tracked_.size()) - warming(now_s);
}

}  // namespace archlab
