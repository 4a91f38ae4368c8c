#include "sim/report/timeseries.hpp"

#include "sim/core/component.hpp"

#include <cstdio>

namespace archlab {

const char* Timeseries::header()
{
  return "time_s,component,arrivals,completions,in_flight,queue_length,utilization,latency_p50_ms,latency_p99_ms,capacity";
}

void Timeseries::sample(const std::vector<Component*>& components, double from_s, double to_s)
{
  previous_.resize(components.size());
  for (std::size_t i = 0; i < components.size(); ++i) {
    auto& stats = components[i]->stats();
    auto& previous = previous_[i];
    const auto& counts = stats.lifetime();
    double busy_area = stats.busy.lifetime_area_until(to_s);
    double capacity_area = stats.capacity.lifetime_area_until(to_s);
    double capacity_delta = capacity_area - previous.capacity_area;
    double utilization = capacity_delta > 0 ? (busy_area - previous.busy_area) / capacity_delta : 0.0;
    const Histogram* latency = stats.interval_latency();
    char row[512];
    std::snprintf(row, sizeof row, "%.6g,%s,%llu,%llu,%.0f,%.0f,%.4f,%.4g,%.4g,%.0f\n", to_s, components[i]->id().c_str(),
                  static_cast<unsigned long long>(counts.arrivals - previous.counts.arrivals),
                  static_cast<unsigned long long>(counts.completed - previous.counts.completed), stats.busy.level() + stats.waiting.level(),
                  stats.waiting.level(), utilization, latency ? latency->percentile(0.5) * 1e3 : 0.0,
                  latency ? latency->percentile(0.99) * 1e3 : 0.0, stats.capacity.level());
    rows_ << row;
    previous = {counts, busy_area, capacity_area};
    stats.close_interval();
  }
  (void)from_s;
  sampled_until_s_ = to_s;
}

}  // namespace archlab
