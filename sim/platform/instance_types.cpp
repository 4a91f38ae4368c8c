#include "sim/platform/instance_types.hpp"

#include "sim/platform/platform_table_text.hpp"

#include <nlohmann/json.hpp>
#include <stdexcept>

namespace archlab {

namespace {
const nlohmann::json& table()
{
  static const nlohmann::json parsed = nlohmann::json::parse(platform_table_text, nullptr, true, /*ignore_comments=*/true);
  return parsed;
}

LinkSpec link(const nlohmann::json& spec)
{
  return {spec.at("latency_ms").get<double>() * 1e-3, spec.at("bandwidth_gbps").get<double>() * 1e9 / 8};
}
}  // namespace

const std::vector<InstanceType>& instance_types()
{
  static const std::vector<InstanceType> types = [] {
    std::vector<InstanceType> result;
    for (const auto& [name, spec] : table().at("instance_types").items())  // nlohmann's objects are sorted by key
      result.push_back({name, spec.at("vcpus").get<int>(), spec.at("cpu_speed").get<double>(),
                        spec.at("network_baseline_gbps").get<double>() * 1e9 / 8, spec.at("network_burst_gbps").get<double>() * 1e9 / 8});
    return result;
  }();
  return types;
}

const InstanceType& instance_type(const std::string& name)
{
  for (const auto& type : instance_types())
    if (type.name == name)
      return type;
  throw std::invalid_argument("instance type " + name + " is not in models/platform/aws-us-east-1.json");
}

const RegionNetwork& region_network()
{
  static const RegionNetwork network = [] {
    const auto& links = table().at("links");
    return RegionNetwork{link(links.at("within_zone")), link(links.at("across_zones")), link(links.at("internet")),
                         table().at("default_zone").get<std::string>()};
  }();
  return network;
}

}  // namespace archlab
