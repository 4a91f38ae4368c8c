// signals.csv: every declared signal (sim/core/signals.hpp) of every component at every interval,
// in long format `time_s,component,signal,value`, so a notebook can plot any of them without knowing
// the component's type. A counter's value is its increase over the interval; a gauge is its value at
// the sample; a distribution is its figure over the interval.
#pragma once

#include "sim/core/signals.hpp"

#include <sstream>
#include <string>
#include <vector>

namespace archlab {

class Component;

class SignalSeries {
public:
  static const char* header() { return "time_s,component,signal,value"; }
  explicit SignalSeries(const std::vector<Component*>& components);  // reads each one's declared signals
  void sample(double at_s);
  std::string csv() const { return header() + std::string("\n") + rows_.str(); }

private:
  struct Tracked {
    Component* component;
    std::vector<SignalSpec> signals;
    std::vector<double> previous;  // counters: the value at the last sample
  };
  std::vector<Tracked> tracked_;
  std::ostringstream rows_;
};

}  // namespace archlab
