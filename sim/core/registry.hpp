// The one place component types are known: name, meaning, parameters and how to build one.
// The list itself is sim/components/all_components.cpp.
#pragma once

#include "sim/core/parameters.hpp"
#include "sim/core/signals.hpp"

#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace archlab {

class Component;
struct ComponentSetup;

struct ComponentType {
  std::string name;
  std::string summary;          // one line
  std::string aws_counterpart;  // what it stands for in AWS
  std::vector<ParamSpec> params;
  std::function<std::unique_ptr<Component>(const ComponentSetup&)> create;
  // Checks that span several fields (e.g. weights must match targets); may be empty.
  std::function<void(const nlohmann::json& params, const std::string& path, std::vector<Problem>& problems)> check;
  std::vector<std::string> fault_actions;  // the faults (sim/faults/fault_plan.hpp) it can take
  // AWS runs it across the region's zones: no instance or zone fault of the model takes it down
  // (API Gateway, SQS, DynamoDB). `archlab analyze` never counts it as a single point of failure.
  bool is_managed_multi_zone = false;
  // Signals of its own, beyond standard_signals(); the component answers them in Component::signal.
  std::vector<SignalSpec> signals;
  std::vector<SignalSpec> all_signals() const;  // the standard ones, then its own
};

const std::vector<ComponentType>& component_types();  // in model order of explanation
const ComponentType* find_component_type(const std::string& name);
std::vector<ParamSpec> common_component_params();     // "type", placement and labels, shared by every type

}  // namespace archlab
