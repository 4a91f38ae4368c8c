// The architecture as a graph: components (with instances and placement) and the interactions
// between them, read generically from each component's parameters and their ParamSpecs, so a new
// component type gets its edges, boxes and analysis without a change here. No Graphviz, no SimGrid.
#pragma once

#include "sim/core/parameters.hpp"

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace archlab::analysis {

// The interaction starts as the ParamSpec's, refined by what the model says (see build_architecture):
// a call whose operation is `send` is an asynchronous message, `receive` is polling, and a `request`
// passed on by a component that is itself called (an API gateway's integration) is a synchronous call.
struct Edge {
  std::string from;                 // the component holding the reference
  std::string to;                   // the component it names
  Interaction interaction = Interaction::none;
  std::string path;                 // where the reference sits, e.g. calls[0].target or targets[1]
  std::string group;                // edges sharing a group are alternatives (a reference_list pool)
  std::string scope;                // the object_map entry it sits in (handlers.submit: one request kind); "" for defaults
  std::string operation;            // a sibling "operation" (send, get, ...); "" when there is none
  double probability = 1;           // share of requests taking this step (a sibling "probability" field)
  std::optional<double> timeout_ms; // a sibling timeout field (timeout_ms, timeout_s, integration_timeout_ms), if set
  std::string timeout_name;         // the name of that field, e.g. integration_timeout_ms
  bool can_time_out = true;         // the holder's parameters have a timeout field at all (set or not)
  int max_attempts = 1;             // a sibling retry policy's max_attempts (1: the call is not retried)
  bool takes_callee_retry = false;  // a call site that sets no retry: it runs its callee's default for callers, if any
  bool is_default_retry = false;    // max_attempts is that default (a table's: the AWS SDK's standard retry)
  std::string from_zone;            // a reference one zone's part makes (an image pull route's zone); "" for all of it
  bool is_one_way = false;          // the target's type declares the operation one-way: handed over, never answered
};

struct ZoneShare {
  std::string zone;                 // empty: placed nowhere in particular
  int instances = 0;
};

struct Placement {
  std::string region;
  std::string vpc;
  std::string subnet;
  std::vector<ZoneShare> zones;     // one entry per zone the component runs in, in first-use order
  std::vector<std::string> listed;  // the zones the model lists (`zones`, or `zone`), even those no instance is dealt to
};

struct ArchComponent {
  std::string id;
  std::string type;
  nlohmann::json params;            // resolved: every default filled in
  // The instances that are sure to run: `instances`; a group with `scaling` may shrink to scaling.min;
  // a type without an `instances` parameter (a load balancer) is one box, or one node per listed zone.
  int instances = 1;
  int max_instances = 1;            // scaling.max for a group, else `instances`
  bool is_scaled = false;           // an Auto Scaling group (a `scaling` section)
  bool is_managed_multi_zone = false;  // ComponentType::is_managed_multi_zone: no fault of the model takes it down
  bool spans_zones = false;         // one component across its listed zones (a load balancer's nodes, a scaled group)
  Placement placement;
  bool is_client = false;           // it originates requests (has an outgoing `request` edge)
};

struct Architecture {
  std::vector<ArchComponent> components;  // sorted by id
  std::vector<Edge> edges;                 // in component order, then parameter order

  const ArchComponent* find(const std::string& id) const;
  std::vector<const Edge*> edges_from(const std::string& id) const;
  std::vector<const Edge*> edges_to(const std::string& id) const;
};

// Every reference found in `params` (also inside object, object_list and object_map fields).
std::vector<Edge> outgoing_edges(const std::string& id, const nlohmann::json& params, const std::vector<ParamSpec>& specs);

// Instances dealt to zones in turn: 3 instances over [a, b] → a×2, b×1. No zones: one unplaced share.
std::vector<ZoneShare> instances_by_zone(int instances, const std::vector<std::string>& zones);

Placement placement_of(const nlohmann::json& params, int instances);
// Components something calls, sends to or forwards to: they serve others rather than run loops of their own.
std::set<std::string> called_components(const Architecture& architecture);
int instance_count(const nlohmann::json& params);  // scaling.min for a group, else `instances`, else 1 (at least 1)

// From model.components(): id → resolved params with "type". Unknown types get no edges.
Architecture build_architecture(const nlohmann::json& components);

// True for interactions where the caller holds on until the answer comes back.
bool is_synchronous(Interaction interaction);

// "a → b → c" style lists in findings.
std::string join(const std::vector<std::string>& items, const std::string& separator);

}  // namespace archlab::analysis
