// The one place component types are known: name, meaning, parameters and how to build one.
// The list itself is sim/components/all_components.cpp.
#pragma once

#include "sim/core/call.hpp"
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

// A reference field that may only name components of some types. `field` is its place inside the
// component's parameters, "[]" standing for every element of a list and "*" for every entry of a map:
// "dead_letter_queue", "calls[].target", "handlers.*.calls[].target".
struct ReferenceRule {
  std::string field;
  std::vector<std::string> target_types;
};

// An operation a type takes: its name (what a call site's `operation` says), whether the caller waits
// for an answer, the arguments a call site may give it (fields beside `operation` in the caller's
// call, validated against these specs), and how the type reads them once per call site.
struct OperationSpec {
  std::string name;
  std::string meaning;
  bool is_one_way = false;  // delivered, never answered (fan-out)
  std::vector<ParamSpec> arguments;
  // `call_site` is the validated call with the arguments' defaults filled in; null: the type needs none.
  std::function<std::shared_ptr<const CallArguments>(const nlohmann::json& call_site)> read_arguments;

  Operation operation() const { return Operation::named(name); }
};

// What kind of part a type is, for pictures: `archlab diagram` draws each kind in its own shape
// (sim/diagram/README.md). Kinds, not types: a new type picks the kind it looks like, and the diagram
// needs no change.
enum class PartKind {
  other,          // drawn as a plain card
  client,
  compute,        // instances running code: a service, consumers
  function,
  poller,         // managed pollers feeding a function (Lambda's event source mapping)
  queue,
  topic,
  stream,
  table,
  database,       // a document database
  cache,
  cdn,
  bucket,
  gateway,        // an API gateway
  load_balancer,
  discovery,      // a name that resolves to tasks (Cloud Map)
  telemetry,      // where traces or metrics are sent, best effort (an X-Ray daemon)
  push,           // servers holding clients' connections open and pushing updates down them (websockets)
};
std::string part_kind_name(PartKind kind);  // "load_balancer", as in the enum

struct ComponentType {
  std::string name;
  std::string summary;          // one line
  std::string aws_counterpart;  // what it stands for in AWS
  PartKind part_kind = PartKind::other;
  std::vector<ParamSpec> params;
  std::function<std::unique_ptr<Component>(const ComponentSetup&)> create;
  // Checks that span several fields (e.g. weights must match targets); may be empty.
  std::function<void(const nlohmann::json& params, const std::string& path, std::vector<Problem>& problems)> check;
  // What a call, a poll or a message may ask of it (empty: nothing may name it as a target). Every
  // reference of the model is checked against the operations of the type it names (model_checks.hpp).
  std::vector<OperationSpec> operations;
  // Reference fields narrowed to some types; any other may name a type that takes its operation.
  std::vector<ReferenceRule> reference_rules;
  // Checks that need the rest of the resolved model, its other components or its run section (e.g. a
  // dead-letter queue must be FIFO like its queue); may be empty.
  std::function<void(const nlohmann::json& params, const std::string& path, const nlohmann::json& document, std::vector<Problem>& problems)>
      check_with_model;
  std::vector<std::string> fault_actions;  // the faults (sim/core/fault_plan.hpp) it can take
  // AWS runs it across the region's zones: no instance or zone fault of the model takes it down
  // (API Gateway, SQS, DynamoDB). `archlab analyze` never counts it as a single point of failure.
  bool is_managed_multi_zone = false;
  // Its CPU work runs on cores nothing else shares (Compute::dedicated_core): its cpu_ms does not
  // need SimGrid to drive the run (a Lambda function: one invocation per environment).
  bool computes_on_dedicated_cores = false;
  // Signals of its own, beyond standard_signals(); the component answers them in Component::signal.
  std::vector<SignalSpec> signals;
  std::vector<SignalSpec> all_signals() const;  // the standard ones, then its own
  // The `retry` a call site's caller applies to calls to it when the call sets none of its own, made
  // from its resolved parameters (a DynamoDB table: the AWS SDK's standard retry, which runs in the
  // caller). Empty: such calls are not retried.
  std::function<nlohmann::json(const nlohmann::json& params)> callers_default_retry;
};

// `request`: what a service, a load balancer and an API gateway take (an HTTP request, answered once).
OperationSpec plain_request();

bool accepts(const ComponentType& type, Operation operation);
const OperationSpec* find_operation(const ComponentType& type, const std::string& name);
std::string operation_list(const ComponentType& type);  // "send, receive, delete_message"; "none"

const std::vector<ComponentType>& component_types();  // in model order of explanation
const ComponentType* find_component_type(const std::string& name);
std::vector<ParamSpec> common_component_params();     // "type", placement and labels, shared by every type

}  // namespace archlab
