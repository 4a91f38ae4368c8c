// Small architectures for the analysis tests, written as model JSON (validated like a real model) or
// as bare edges for interactions no component type has yet (polling, async messages).
#pragma once

#include "sim/analysis/architecture.hpp"
#include "sim/core/model.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace archlab::analysis::testing {

// Components of a model given as JSON text (without the run section); validated by the real loader.
inline Architecture architecture_of(const std::string& components_json)
{
  auto raw = nlohmann::json::parse(R"({"name": "test", "run": {"duration_s": 10}, "components": )" + components_json + "}");
  return build_architecture(model_from_json(raw, "test.json").components());
}

struct Link {
  std::string from, to;
  Interaction interaction = Interaction::sync_call;
  std::optional<double> timeout_ms = std::nullopt;
};

// An architecture from bare links: every component has one unplaced instance unless `instances` says more.
inline Architecture architecture_from_links(const std::vector<std::string>& clients, const std::vector<Link>& links,
                                            const std::map<std::string, int>& instances = {})
{
  Architecture architecture;
  std::set<std::string> ids(clients.begin(), clients.end());
  for (const auto& link : links) {
    ids.insert(link.from);
    ids.insert(link.to);
  }
  for (const auto& id : ids) {
    ArchComponent component;
    component.id = id;
    component.type = "thing";
    component.params = nlohmann::json::object();
    component.instances = instances.contains(id) ? instances.at(id) : 1;
    component.placement.zones = instances_by_zone(component.instances, {});
    component.is_client = std::find(clients.begin(), clients.end(), id) != clients.end();
    architecture.components.push_back(component);
  }
  for (const auto& link : links) {
    Edge edge;
    edge.from = link.from;
    edge.to = link.to;
    edge.interaction = link.interaction;
    edge.path = link.from + "->" + link.to;
    edge.group = edge.path;
    edge.timeout_ms = link.timeout_ms;
    architecture.edges.push_back(edge);
  }
  return architecture;
}

}  // namespace archlab::analysis::testing
