#include "sim/metrics/station_stats.hpp"

namespace archlab {

void StationStats::finish(double latency_s, bool ok, bool is_measured)
{
  if (!ok) {
    counts_.failed += is_measured;
    ++lifetime_.failed;
    return;
  }
  ++lifetime_.completed;
  if (interval_latency_)
    interval_latency_->record(latency_s);
  if (!is_measured)
    return;
  ++counts_.completed;
  latency_.record(latency_s);
}

void StationStats::restart(double now_s)
{
  counts_ = {};
  latency_.clear();
  busy.restart(now_s);
  waiting.restart(now_s);
  capacity.restart(now_s);
  since_s_ = now_s;
}

void StationStats::enable_intervals()
{
  interval_latency_ = std::make_unique<Histogram>(32);  // 2% buckets are plenty for a plot
}

double StationStats::utilization(double now_s) const
{
  double capacity_area = capacity.area_until(now_s);
  return capacity_area > 0 ? busy.area_until(now_s) / capacity_area : 0.0;
}

double StationStats::mean_waiting(double now_s) const
{
  double span = now_s - since_s_;
  return span > 0 ? waiting.area_until(now_s) / span : 0.0;
}

double StationStats::mean_in_system(double now_s) const
{
  double span = now_s - since_s_;
  return span > 0 ? (waiting.area_until(now_s) + busy.area_until(now_s)) / span : 0.0;
}

}  // namespace archlab
