// Signals: the figures a component type declares it emits, each with its unit and kind, so that
// whatever records or reads them (signals.csv, scaling policies, diagrams) knows them by name and
// never by the component's type. A component answers the current value of each of its signals:
// a counter counts from time 0, a gauge is its value right now, a distribution its recent p99.
#pragma once

#include <string>
#include <vector>

namespace archlab {

enum class SignalKind { counter, gauge, distribution };
const char* signal_kind_name(SignalKind kind);

struct SignalSpec {
  std::string name;     // e.g. visible_messages
  std::string unit;     // e.g. messages, requests, ms
  SignalKind kind = SignalKind::gauge;
  std::string meaning;  // one line, shown by archlab explain
};

// The signals every component has, from its standard figures (StationStats).
const std::vector<SignalSpec>& standard_signals();

}  // namespace archlab
