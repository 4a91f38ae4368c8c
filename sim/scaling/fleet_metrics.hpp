// The group's own metrics from its fleet's cumulative readings: average CPU utilisation and
// requests per instance per minute over a period. Instances still warming up are left out (AWS: a
// warming instance does not count in the group's aggregate metrics, §3), so their idle start does
// not drag the average down and their launch does not look like relief yet. Pure.
#pragma once

#include "sim/scaling/fleet.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <vector>

namespace archlab {

struct PeriodFigures {
  std::optional<double> cpu_percent;                // empty: no warmed-up instance to measure
  std::optional<double> requests_per_instance_per_min;
  int measured = 0;  // the warmed-up instances behind the figures
};

class FleetMetrics {
public:
  explicit FleetMetrics(double warmup_s) : warmup_s_(warmup_s) {}

  // The instances there at time 0 are InService from the start: no warm-up.
  void add_initial(const std::vector<InstanceReading>& readings, double now_s);
  // Brings the list up to date: an instance not seen before went InService at now_s (it warms up
  // from then); one no longer in the readings has left (retired or lost).
  void sync(const std::vector<InstanceReading>& readings, double now_s);
  // The figures of the period since the last call (or since each instance went InService).
  PeriodFigures close_period(const std::vector<InstanceReading>& readings, double now_s);

  int warming(double now_s) const;
  int warmed_up(double now_s) const;  // AWS's "current capacity": InService and past its warm-up

private:
  struct Tracked {
    double in_service_s = 0;
    double since_s = 0;  // the baseline below is from this time
    double busy_s = 0;
    std::uint64_t requests = 0;
  };
  bool is_warming(const Tracked& tracked, double now_s) const { return tracked.in_service_s + warmup_s_ > now_s; }

  double warmup_s_;
  std::map<std::uint64_t, Tracked> tracked_;
};

}  // namespace archlab
