#include "sim/analysis/architecture.hpp"

#include "sim/core/call_policy.hpp"
#include "sim/core/json_io.hpp"
#include "sim/core/registry.hpp"

#include <algorithm>
#include <set>

namespace archlab::analysis {

namespace {

// The fields a caller sets its own timeout with, next to the reference it calls.
constexpr const char* TIMEOUT_FIELDS[] = {"timeout_ms", "timeout_s", "integration_timeout_ms"};

// A timeout written next to the reference (e.g. calls[i].timeout_ms, a client's own timeout_ms, or an
// API gateway's integration_timeout_ms), with the field's name.
std::pair<std::optional<double>, std::string> sibling_timeout_ms(const nlohmann::json& object)
{
  if (!object.is_object())
    return {std::nullopt, ""};
  for (const char* key : TIMEOUT_FIELDS)
    if (object.contains(key) && object.at(key).is_number()) {
      double value = object.at(key).get<double>();
      return {std::string(key).ends_with("_s") ? value * 1000 : value, key};
    }
  return {std::nullopt, ""};
}

bool has_timeout_field(const std::vector<ParamSpec>& specs)
{
  return std::any_of(specs.begin(), specs.end(), [](const ParamSpec& spec) {
    return std::any_of(std::begin(TIMEOUT_FIELDS), std::end(TIMEOUT_FIELDS), [&](const char* key) { return spec.name == key; });
  });
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
  const nlohmann::json& component_params;

  void add(const nlohmann::json& value, const ParamSpec& spec, const std::string& path, const std::string& group,
           const nlohmann::json& holder, const std::vector<ParamSpec>& holder_specs, const std::string& scope)
  {
    if (!value.is_string())
      return;
    auto [timeout_ms, timeout_name] = sibling_timeout_ms(holder);
    Edge edge{.from = from, .to = value.get<std::string>(), .interaction = spec.interaction, .path = path, .group = group,
              .scope = scope, .operation = "", .probability = sibling_probability(holder), .timeout_ms = timeout_ms,
              .timeout_name = timeout_name, .can_time_out = has_timeout_field(holder_specs)};
    if (holder.is_object() && holder.contains("operation") && holder.at("operation").is_string())
      edge.operation = holder.at("operation").get<std::string>();
    else
      edge.operation = spec.calls_operation;
    // A route object (an image pull's) says whose zone it is; the component's own zone field is not one.
    if (holder.is_object() && &holder != &component_params && holder.contains("zone") && holder.at("zone").is_string())
      edge.from_zone = holder.at("zone").get<std::string>();
    edge.takes_callee_retry = !(holder.is_object() && holder.contains("retry")) &&
                              std::any_of(holder_specs.begin(), holder_specs.end(), [](const ParamSpec& field) { return field.name == "retry"; });
    if (holder.is_object() && holder.contains("retry") && holder.at("retry").is_object() &&
        holder.at("retry").value("max_attempts", nlohmann::json()).is_number_integer())
      edge.max_attempts = holder.at("retry").at("max_attempts").get<int>();
    // What the call asks decides how it behaves: SendMessage hands a message over (nobody waits for its
    // handling), ReceiveMessage is a poll of the queue. Other operations stay synchronous calls.
    if (edge.interaction == Interaction::sync_call && edge.operation == "send")
      edge.interaction = Interaction::async_message;
    else if (edge.interaction == Interaction::sync_call && edge.operation == "receive")
      edge.interaction = Interaction::polling;
    edges.push_back(std::move(edge));
  }

  void walk_fields(const nlohmann::json& object, const std::vector<ParamSpec>& specs, const std::string& parent, const std::string& scope)
  {
    if (!object.is_object())
      return;
    for (const auto& spec : specs)
      if (object.contains(spec.name))
        walk(object.at(spec.name), spec, join_path(parent, spec.name), object, specs, scope);
  }

  void walk(const nlohmann::json& value, const ParamSpec& spec, const std::string& path, const nlohmann::json& holder,
            const std::vector<ParamSpec>& holder_specs, const std::string& scope)
  {
    switch (spec.kind) {
    case ParamKind::reference:
      add(value, spec, path, path, holder, holder_specs, scope);
      break;
    case ParamKind::reference_list:  // one pool: any member can serve
      if (value.is_array())
        for (std::size_t i = 0; i < value.size(); ++i)
          add(value[i], spec, join_path(path, i), path, holder, holder_specs, scope);
      break;
    case ParamKind::object:
      walk_fields(value, spec.fields, path, scope);
      break;
    case ParamKind::object_list:
      if (value.is_array())
        for (std::size_t i = 0; i < value.size(); ++i)
          walk_fields(value[i], spec.fields, join_path(path, i), scope);
      break;
    case ParamKind::object_map:  // each entry is its own case (a request kind's handler)
      if (value.is_object())
        for (const auto& [key, item] : value.items())
          walk_fields(item, spec.fields, join_path(path, key), join_path(path, key));
      break;
    default:
      break;
    }
  }
};

bool has_param(const ComponentType* type, const std::string& name)
{
  return type && std::any_of(type->params.begin(), type->params.end(), [&](const ParamSpec& spec) { return spec.name == name; });
}

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
  Walker{id, edges, params}.walk_fields(params, specs, "", "");
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
  if (params.contains("scaling") && params.at("scaling").is_object()) {
    const auto& scaling = params.at("scaling");
    if (scaling.contains("min") && scaling.at("min").is_number_integer())
      return std::max(1, scaling.at("min").get<int>());
  }
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
  placement.listed = zones;
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
    const ComponentType* type = find_component_type(component.type);
    // A managed part kept in several zones by AWS: by its type (a queue, a table), or by its own Multi-AZ
    // switch (a cache with a replica it fails over to).
    component.is_managed_multi_zone = (type && type->is_managed_multi_zone) || params.value("multi_az", false);
    component.is_scaled = params.contains("scaling") && params.at("scaling").is_object();
    component.instances = instance_count(params);
    component.max_instances = component.is_scaled ? std::max(component.instances, params.at("scaling").value("max", 1))
                                                  : component.instances;
    auto placement = placement_of(params, component.instances);
    // One box without an `instances` parameter, listed in several zones: a node in each (an ALB runs
    // one per zone it is enabled in, and needs two).
    if (type && !has_param(type, "instances") && !has_param(type, "min_instances") && placement.listed.size() > 1) {
      component.instances = component.max_instances = static_cast<int>(placement.listed.size());
      placement = placement_of(params, component.instances);
    }
    component.spans_zones = placement.listed.size() > 1 && (component.is_scaled || !has_param(type, "instances"));
    component.placement = std::move(placement);
    if (type)
      for (auto& edge : outgoing_edges(id, params, type->params))
        architecture.edges.push_back(std::move(edge));
    architecture.components.push_back(std::move(component));
  }
  // A call of an operation its target's type declares one-way (a UDP segment, an asynchronous invoke)
  // hands something over and waits for nothing: a message, not a call.
  for (auto& edge : architecture.edges) {
    if (edge.interaction != Interaction::sync_call || !components.contains(edge.to) || !components.at(edge.to).is_object())
      continue;
    const ComponentType* target_type = find_component_type(components.at(edge.to).value("type", ""));
    const OperationSpec* operation = target_type ? find_operation(*target_type, edge.operation.empty() ? "request" : edge.operation) : nullptr;
    if (operation && operation->is_one_way) {
      edge.interaction = Interaction::async_message;
      edge.is_one_way = true;
    }
  }
  // A call site that sets no retry runs its callee's default for callers (a table's: the AWS SDK's),
  // as CallSites::add does; the same rule, so the analysis counts the attempts the run makes.
  for (auto& edge : architecture.edges) {
    if (!edge.takes_callee_retry || !is_synchronous(edge.interaction))
      continue;
    auto resolved = with_callee_default_retry({{"target", edge.to}}, components);
    if (resolved.contains("retry") && resolved.at("retry").value("max_attempts", nlohmann::json()).is_number_integer()) {
      edge.max_attempts = resolved.at("retry").at("max_attempts").get<int>();
      edge.is_default_retry = true;
    }
  }
  // A `request` passed on by a component that is itself called is a synchronous call: the component
  // (an API gateway's integration) waits for the answer, usually with a timeout. Only components that
  // nobody calls originate requests: the clients.
  std::set<std::string> called;
  for (const auto& edge : architecture.edges)
    if (edge.interaction != Interaction::none && edge.interaction != Interaction::polling)
      called.insert(edge.to);
  for (auto& edge : architecture.edges) {
    if (edge.interaction == Interaction::request && called.contains(edge.from))
      edge.interaction = Interaction::sync_call;
    if (edge.interaction == Interaction::request)
      if (auto it = std::find_if(architecture.components.begin(), architecture.components.end(),
                                 [&](const ArchComponent& component) { return component.id == edge.from; });
          it != architecture.components.end())
        it->is_client = true;
  }
  return architecture;
}

bool is_synchronous(Interaction interaction)
{
  return interaction == Interaction::request || interaction == Interaction::sync_call;
}

std::set<std::string> called_components(const Architecture& architecture)
{
  std::set<std::string> called;
  for (const auto& edge : architecture.edges)
    if (edge.interaction != Interaction::none && edge.interaction != Interaction::polling)
      called.insert(edge.to);
  return called;
}

}  // namespace archlab::analysis
