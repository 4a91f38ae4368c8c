#include "sim/platform/platform_plan.hpp"

#include "sim/core/registry.hpp"

#include <algorithm>

namespace archlab {

bool asks_for_cpu_work(const nlohmann::json& params)
{
  if (params.is_object()) {
    for (const auto& [key, value] : params.items())
      if ((key == "cpu_ms" && !value.is_null()) || asks_for_cpu_work(value))
        return true;
  } else if (params.is_array()) {
    for (const auto& value : params)
      if (asks_for_cpu_work(value))
        return true;
  }
  return false;
}

PlatformPlan plan_platform(const nlohmann::json& components)
{
  PlatformPlan plan;
  plan.network = region_network();
  plan.zones.push_back(plan.network.default_zone);
  for (const auto& [id, params] : components.items()) {
    if (params.contains("zone") && params.at("zone").is_string())
      plan.zones.push_back(params.at("zone").get<std::string>());
    if (params.contains("zones") && params.at("zones").is_array())
      for (const auto& zone : params.at("zones"))
        plan.zones.push_back(zone.get<std::string>());
    // CPU work on cores of its own is timed without SimGrid (Compute::dedicated_core)
    const auto* type = params.contains("type") && params.at("type").is_string() ? find_component_type(params.at("type").get<std::string>()) : nullptr;
    if (!(type && type->computes_on_dedicated_cores))
      plan.has_cpu_work = plan.has_cpu_work || asks_for_cpu_work(params);
  }
  std::sort(plan.zones.begin(), plan.zones.end());
  plan.zones.erase(std::unique(plan.zones.begin(), plan.zones.end()), plan.zones.end());
  return plan;
}

}  // namespace archlab
