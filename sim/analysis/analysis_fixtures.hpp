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

// A small job system like models/code-runner.json: a browser, an API gateway, a load balancer over two
// zones, an API whose submit sends to a queue and whose status peeks at it, a table, and workers in an
// Auto Scaling group (min 1) polling the queue. `workers_scaling` replaces the group's section.
inline std::string job_system_json(const std::string& workers_scaling = R"({"min": 1, "max": 3, "desired": 2,
      "policies": [{"type": "simple", "signal": "queue_depth", "queue": "jobs", "comparison": ">=", "threshold": 10, "change": 1}]})")
{
  return R"({
    "browser": {"type": "client", "target": "gateway", "arrivals": {"rate_per_s": 1}, "mix": {"submit": 1},
                "jobs": {"submit_kind": "submit", "status_kind": "status"}},
    "gateway": {"type": "api_gateway", "target": "alb", "rate_per_s": 100, "burst": 50, "region": "r"},
    "alb": {"type": "load_balancer", "targets": ["api"], "region": "r", "vpc": "v", "zones": ["a", "b"]},
    "api": {"type": "service", "instances": 2, "service_time_ms": 2, "region": "r", "vpc": "v", "zones": ["a", "b"],
            "handlers": {
              "submit": {"calls": [{"target": "table", "operation": "put"}, {"target": "jobs", "operation": "send"}]},
              "status": {"calls": [{"target": "jobs", "operation": "receive"}, {"target": "table", "operation": "get"}]}}},
    "jobs": {"type": "queue", "region": "r", "dead_letter_queue": "dlq", "max_receive_count": 5},
    "dlq": {"type": "queue", "region": "r"},
    "table": {"type": "table", "region": "r"},
    "workers": {"type": "consumers", "queue": "jobs", "region": "r", "vpc": "v", "zones": ["a", "b"], "wait_time_s": 20,
                "steps": [{"name": "get", "target": "table", "operation": "get"}, {"name": "run", "work_ms": 100, "runs_job": true},
                          {"name": "update", "target": "table", "operation": "update", "writes_result": true},
                          {"name": "delete", "deletes_message": true}],
                "scaling": )" + workers_scaling + R"(}})";
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
