// The architecture as a graph: components (with instances and placement) and the interactions
// between them, read generically from each component's parameters and their ParamSpecs, so a new
// component type gets its edges, boxes and analysis without a change here. No Graphviz, no SimGrid.
#pragma once

#include "sim/core/parameters.hpp"

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace archlab::analysis {

struct Edge {
  std::string from;                 // the component holding the reference
  std::string to;                   // the component it names
  Interaction interaction = Interaction::none;
  std::string path;                 // where the reference sits, e.g. calls[0].target or targets[1]
  std::string group;                // edges sharing a group are alternatives (a reference_list pool)
  double probability = 1;           // share of requests taking this step (a sibling "probability" field)
  std::optional<double> timeout_ms; // a sibling timeout field, if the reference has one
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
};

struct ArchComponent {
  std::string id;
  std::string type;
  nlohmann::json params;            // resolved: every default filled in
  int instances = 1;                // components without an `instances` parameter count as one
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
int instance_count(const nlohmann::json& params);

// From model.components(): id → resolved params with "type". Unknown types get no edges.
Architecture build_architecture(const nlohmann::json& components);

// True for interactions where the caller holds on until the answer comes back.
bool is_synchronous(Interaction interaction);

// "a → b → c" style lists in findings.
std::string join(const std::vector<std::string>& items, const std::string& separator);

}  // namespace archlab::analysis
