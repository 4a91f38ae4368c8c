// timeseries.csv: one row per component per fixed interval of simulated time, from time 0 (warm-up
// included, so a plot shows it), for notebooks and diagrams. `capacity` is the workers (slots) alive at
// the sample: with one worker per instance, the instance count of a scaled group.
#pragma once

#include "sim/metrics/station_stats.hpp"

#include <sstream>
#include <string>
#include <vector>

namespace archlab {

class Component;

class Timeseries {
public:
  static const char* header();
  void sample(const std::vector<Component*>& components, double from_s, double to_s);  // one row per component
  double sampled_until_s() const { return sampled_until_s_; }
  std::string csv() const { return header() + std::string("\n") + rows_.str(); }

private:
  struct Previous {
    StationCounts counts;
    double busy_area = 0;
    double capacity_area = 0;
  };
  std::vector<Previous> previous_;
  double sampled_until_s_ = 0;
  std::ostringstream rows_;
};

}  // namespace archlab
