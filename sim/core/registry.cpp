#include "sim/core/registry.hpp"

namespace archlab {

std::string part_kind_name(PartKind kind)
{
  switch (kind) {
  case PartKind::other: return "other";
  case PartKind::client: return "client";
  case PartKind::compute: return "compute";
  case PartKind::function: return "function";
  case PartKind::poller: return "poller";
  case PartKind::queue: return "queue";
  case PartKind::topic: return "topic";
  case PartKind::stream: return "stream";
  case PartKind::table: return "table";
  case PartKind::database: return "database";
  case PartKind::cache: return "cache";
  case PartKind::cdn: return "cdn";
  case PartKind::bucket: return "bucket";
  case PartKind::gateway: return "gateway";
  case PartKind::load_balancer: return "load_balancer";
  case PartKind::discovery: return "discovery";
  case PartKind::telemetry: return "telemetry";
  case PartKind::push: return "push";
  }
  return "other";
}

std::vector<SignalSpec> ComponentType::all_signals() const
{
  std::vector<SignalSpec> all = standard_signals();
  all.insert(all.end(), signals.begin(), signals.end());
  return all;
}

const ComponentType* find_component_type(const std::string& name)
{
  for (const auto& type : component_types())
    if (type.name == name)
      return &type;
  return nullptr;
}

OperationSpec plain_request()
{
  return {.name = "request", .meaning = "an HTTP request, answered once"};
}

bool accepts(const ComponentType& type, Operation operation)
{
  return find_operation(type, operation.name()) != nullptr;
}

const OperationSpec* find_operation(const ComponentType& type, const std::string& name)
{
  for (const auto& spec : type.operations)
    if (spec.name == name)
      return &spec;
  return nullptr;
}

std::string operation_list(const ComponentType& type)
{
  std::string list;
  for (const auto& operation : type.operations)
    list += (list.empty() ? "" : ", ") + operation.name;
  return list.empty() ? "none" : list;
}

std::vector<ParamSpec> common_component_params()
{
  return {
      text_param("type", "the component type (see `archlab explain`)").required(),
      text_param("label", "a human name for diagrams and tables"),
      text_param("description", "what this part is in the architecture"),
      text_param("region", "the AWS region it runs in (diagrams draw a box per region)"),
      text_param("vpc", "the VPC it runs in (diagrams draw a box per VPC, inside its region)"),
      text_param("subnet", "the subnet it runs in, e.g. public or private (a box inside each zone it is in)"),
      text_param("zone", "the availability zone it runs in (diagrams and zone-outage analysis)"),
      text_list_param("zones", "zones its instances are spread over, in turn"),
  };
}

}  // namespace archlab
