// Faults on a timeline, as data: {"at_s": 120, "action": "kill", "target": "api", "instance": 1, "for_s": 60}.
// The plan is pure; the simulation asks each target component to apply its faults at their time
// (a zone outage goes to every component, each taking out what it runs in that zone).
#pragma once

#include "sim/core/parameters.hpp"

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace archlab {

struct FaultEvent {
  double at_s = 0;
  std::string action;   // see fault_actions()
  std::string target;   // component id; empty for a zone outage
  int instance = -1;    // -1: every instance of the target
  std::string zone;     // zone_outage (and its recovery)
  std::string step;     // crash: the step of the worker's message handling it crashes at
  int count = 1;        // crash, poison, never_ending: how many times
  double latency_factor = 10;      // slow: service times multiplied by this
  double failure_probability = 1;  // fail: share of calls answered with an error
  std::size_t source_index = 0;    // position in the model's "faults" list, for error messages
};

struct FaultAction {
  std::string name;
  std::string meaning;
};
const std::vector<FaultAction>& fault_actions();

std::vector<ParamSpec> fault_params();

// Cross-checks that need the whole model: the target's type supports the action, the instance exists.
void check_faults(const nlohmann::json& resolved_document, std::vector<Problem>& problems);

// Sorted by time (stable), with each `for_s` expanded into its recovery.
std::vector<FaultEvent> fault_timeline(const nlohmann::json& faults);

}  // namespace archlab
