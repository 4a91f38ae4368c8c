// Faults on a timeline, as data: {"at_s": 120, "action": "kill", "target": "api", "instance": 1, "for_s": 60}.
// The plan is pure; the simulation asks each target component to apply its faults at their time.
#pragma once

#include "sim/core/parameters.hpp"

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace archlab {

struct FaultEvent {
  double at_s = 0;
  std::string action;   // "kill" or "recover"
  std::string target;   // component id
  int instance = -1;    // -1: every instance of the target
  std::size_t source_index = 0;  // position in the model's "faults" list, for error messages
};

std::vector<ParamSpec> fault_params();

// Cross-checks that need the whole model: the target's type supports the action, the instance exists.
void check_faults(const nlohmann::json& resolved_document, std::vector<Problem>& problems);

// Sorted by time (stable), with each `for_s` expanded into its recovery.
std::vector<FaultEvent> fault_timeline(const nlohmann::json& faults);

}  // namespace archlab
