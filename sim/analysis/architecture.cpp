#include "sim/analysis/architecture.hpp"

#include "sim/core/json_io.hpp"
#include "sim/core/registry.hpp"

#include <algorithm>

namespace archlab::analysis {

namespace {

// A timeout written next to the reference (e.g. calls[i].timeout_ms, or a client's own timeout_ms).
std::optional<double> sibling_timeout_ms(const nlohmann::json& object)
{
  if (!object.is_object())
    return std::nullopt;
  for (const auto& [key, value] : object.items()) {
    if (!value.is_number())
      continue;
    if (key == "timeout_ms")
      return value.get<double>();
    if (key == "timeout_s")
      return value.get<double>() * 1000;
  }
  return std::nullopt;
}

double sibling_probability(const nlohmann::json& object)
{
  if (object.is_object() && object.contains("probability") && object.at("probability").is_number())
    return object.at("probability").get<double>();
  return 1;
}

struct Walker {
  const std::string& from;
  std::vector<Edge>& edges;

  void add(const nlohmann::json& value, const ParamSpec& spec, const std::string& path, const std::string& group,
           const nlohmann::json& holder)
  {
    if (!value.is_string())
      return;
    edges.push_back(Edge{.from = from, .to = value.get<std::string>(), .interaction = spec.interaction, .path = path,
                         .group = group, .probability = sibling_probability(holder), .timeout_ms = sibling_timeout_ms(holder)});
  }

  void walk_fields(const nlohmann::json& object, const std::vector<ParamSpec>& specs, const std::string& parent)
  {
    if (!object.is_object())
      return;
    for (const auto& spec : specs)
      if (object.contains(spec.name))
        walk(object.at(spec.name), spec, join_path(parent, spec.name), object);
  }

  void walk(const nlohmann::json& value, const ParamSpec& spec, const std::string& path, const nlohmann::json& holder)
  {
    switch (spec.kind) {
    case ParamKind::reference:
      add(value, spec, path, path, holder);
      break;
    case ParamKind::reference_list:  // one pool: any member can serve
      if (value.is_array())
        for (std::size_t i = 0; i < value.size(); ++i)
          add(value[i], spec, join_path(path, i), path, holder);
      break;
    case ParamKind::object:
      walk_fields(value, spec.fields, path);
      break;
    case ParamKind::object_list:
      if (value.is_array())
        for (std::size_t i = 0; i < value.size(); ++i)
          walk_fields(value[i], spec.fields, join_path(path, i));
      break;
    case ParamKind::object_map:
      if (value.is_object())
        for (const auto& [key, item] : value.items())
          walk_fields(item, spec.fields, join_path(path, key));
      break;
    default:
      break;
    }
  }
};

}  // namespace

std::string join(const std::vector<std::string>& items, const std::string& separator)
{
  std::string text;
  for (std::size_t i = 0; i < items.size(); ++i)
    text += (i ? separator : "") + items[i];
  return text;
}

const ArchComponent* Architecture::find(const std::string& id) const
{
  auto it = std::lower_bound(components.begin(), components.end(), id,
                             [](const ArchComponent& component, const std::string& key) { return component.id < key; });
  return it != components.end() && it->id == id ? &*it : nullptr;
}

std::vector<const Edge*> Architecture::edges_from(const std::string& id) const
{
  std::vector<const Edge*> found;
  for (const auto& edge : edges)
    if (edge.from == id)
      found.push_back(&edge);
  return found;
}

std::vector<const Edge*> Architecture::edges_to(const std::string& id) const
{
  std::vector<const Edge*> found;
  for (const auto& edge : edges)
    if (edge.to == id)
      found.push_back(&edge);
  return found;
}

std::vector<Edge> outgoing_edges(const std::string& id, const nlohmann::json& params, const std::vector<ParamSpec>& specs)
{
  std::vector<Edge> edges;
  Walker{id, edges}.walk_fields(params, specs, "");
  return edges;
}

std::vector<ZoneShare> instances_by_zone(int instances, const std::vector<std::string>& zones)
{
  if (zones.empty())
    return {ZoneShare{"", instances}};
  std::vector<ZoneShare> shares;
  for (int i = 0; i < instances; ++i) {
    const auto& zone = zones[static_cast<std::size_t>(i) % zones.size()];
    auto it = std::find_if(shares.begin(), shares.end(), [&](const ZoneShare& share) { return share.zone == zone; });
    if (it == shares.end())
      shares.push_back({zone, 1});
    else
      ++it->instances;
  }
  return shares;
}

int instance_count(const nlohmann::json& params)
{
  // The smallest number that is guaranteed to run: an autoscaled group may shrink to its minimum.
  for (const char* key : {"min_instances", "instances"})
    if (params.contains(key) && params.at(key).is_number_integer())
      return std::max(1, params.at(key).get<int>());
  return 1;
}

Placement placement_of(const nlohmann::json& params, int instances)
{
  Placement placement;
  placement.region = params.value("region", "");
  placement.vpc = params.value("vpc", "");
  placement.subnet = params.value("subnet", "");
  std::vector<std::string> zones;
  if (params.contains("zones") && params.at("zones").is_array())
    zones = params.at("zones").get<std::vector<std::string>>();
  if (zones.empty() && params.contains("zone") && params.at("zone").is_string())
    zones.push_back(params.at("zone").get<std::string>());
  placement.zones = instances_by_zone(instances, zones);
  return placement;
}

Architecture build_architecture(const nlohmann::json& components)
{
  Architecture architecture;
  for (const auto& [id, params] : components.items()) {  // nlohmann::json keeps keys sorted: stable order
    ArchComponent component;
    component.id = id;
    component.type = params.value("type", "");
    component.params = params;
    component.instances = instance_count(params);
    component.placement = placement_of(params, component.instances);
    if (const ComponentType* type = find_component_type(component.type))
      for (auto& edge : outgoing_edges(id, params, type->params)) {
        component.is_client = component.is_client || edge.interaction == Interaction::request;
        architecture.edges.push_back(std::move(edge));
      }
    architecture.components.push_back(std::move(component));
  }
  return architecture;
}

bool is_synchronous(Interaction interaction)
{
  return interaction == Interaction::request || interaction == Interaction::sync_call;
}

}  // namespace archlab::analysis
