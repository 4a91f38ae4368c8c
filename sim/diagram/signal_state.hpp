// A component's state read from the signals its type declares (sim/core/signals.hpp), for the cards
// of `archlab diagram --run` and the run report's timeline: how bad it is (a severity, shown as a
// colour) and the few facts that say why ("3 throttled", "visible messages 42", "busy 80%"). Signals
// are known by the words of their names, never by the component's type, so a new type's signals count
// as soon as it declares them.
#pragma once

#include "sim/core/signals.hpp"

#include <map>
#include <string>
#include <vector>

namespace archlab::diagram {

// loss: work refused or lost (rejected, failed, throttled, dead-lettered, timed out, expired, given up);
// backlog: work waiting (queue length, visible messages, depth, backlog); busy and capacity: the
// workers busy and alive; info: anything else (arrivals, latency, ...), shown in plots only.
enum class SignalRole { loss, backlog, busy, capacity, info };
SignalRole signal_role(const std::string& signal_name);

using SignalValues = std::map<std::string, double>;  // signal name → value over one interval, or a whole run

// One interval: counters are what happened in it, gauges their value at its end. A whole run: counters
// summed, backlogs at their peak, busy and capacity left to the summary's utilization.
enum class StateScope { interval, whole_run };

struct CardState {
  double severity = 0;             // 0: fine … 1: failing
  std::string colour;              // severity_colour(severity)
  std::vector<std::string> facts;  // the worst first; a type's own losses and backlogs always, standard ones when not 0
};

// Any loss is at least 0.7 (orange) and 10% of the arrivals or more is 1 (red); a backlog is 0.5
// (yellow) at 20 waiting and approaches 1 as it grows; busy workers count as their share of capacity.
double loss_severity(double lost, double arrivals);
double backlog_severity(double waiting);
std::string severity_colour(double severity);  // the utilization scale: green → yellow → red

CardState card_state(const std::vector<SignalSpec>& specs, const SignalValues& values, StateScope scope = StateScope::interval,
                     std::size_t max_facts = 3);

// A whole run's values from its intervals (scope whole_run): counters summed, gauges at their peak.
SignalValues whole_run_values(const std::vector<SignalSpec>& specs, const std::map<std::string, std::vector<double>>& series);

}  // namespace archlab::diagram
