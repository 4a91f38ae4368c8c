// signals.csv: every declared signal (sim/core/signals.hpp) of every component at every interval,
// in long format `time_s,component,signal,value`, so a notebook can plot any of them without knowing
// the component's type. A counter's value is its increase over the interval; a gauge is its value at
// the sample; a distribution is its figure over the interval.
#pragma once

#include "sim/core/signals.hpp"

#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

namespace archlab {

class Component;

// The same samples give the summary its `signals` section: for each signal a type declares of its
// own (the standard ones are the summary's figures already), a counter's `total`, a gauge's `mean`
// (over the samples), `max` and `at_end`, a distribution's `max` and `at_end`.
class SignalSeries {
public:
  static const char* header() { return "time_s,component,signal,value"; }
  // Reads each one's declared signals; rows are kept for signals.csv only when `keeps_rows`.
  SignalSeries(const std::vector<Component*>& components, bool keeps_rows);
  void sample(double at_s);
  std::string csv() const { return header() + std::string("\n") + rows_.str(); }
  // The `signals` section of component `index` (in the order given), empty when its type declares none of its own.
  nlohmann::json summary_of(std::size_t index) const;

private:
  struct Figures {
    double sum = 0;
    double max = 0;
    double last = 0;
    std::uint64_t samples = 0;
  };
  struct Tracked {
    Component* component;
    std::vector<SignalSpec> signals;
    std::vector<double> previous;  // counters: the value at the last sample
    std::vector<Figures> figures;
    std::size_t first_own = 0;     // signals before it are every component's standard ones
  };
  std::vector<Tracked> tracked_;
  bool keeps_rows_;
  std::ostringstream rows_;
};

}  // namespace archlab
