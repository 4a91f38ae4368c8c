// What SimGrid platform a model needs, decided without SimGrid: the zones its components name (and
// the default zone), the links joining them, and whether any component does CPU work (which is what
// makes a run drive its scheduler from SimGrid's engine instead of on its own).
#pragma once

#include "sim/platform/instance_types.hpp"

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace archlab {

struct PlatformPlan {
  std::vector<std::string> zones;  // sorted, the default zone among them
  RegionNetwork network;
  bool has_cpu_work = false;
};

// `components`: the model's resolved components object (name → parameters).
PlatformPlan plan_platform(const nlohmann::json& components);
// Whether a component's parameters ask for CPU work anywhere (`cpu_ms`, in a handler or a step too).
bool asks_for_cpu_work(const nlohmann::json& params);

}  // namespace archlab
