// The shape of the calls: synchronous call cycles, parts no client reaches, the longest synchronous
// chain from each client with its timeouts, and components that call many others (fan-out).
#pragma once

#include "sim/analysis/architecture.hpp"
#include "sim/analysis/findings.hpp"

#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace archlab::analysis {

inline constexpr std::size_t FAN_OUT_LIMIT = 4;  // distinct components called per request, from which we warn

// Each cycle of synchronous calls as a closed walk, e.g. {a, b, c, a}; one per strongly connected set.
std::vector<std::vector<std::string>> sync_call_cycles(const Architecture& architecture);

// Components a client's requests can reach, over every edge (and from a polled component to its pollers).
std::set<std::string> reachable_from_clients(const Architecture& architecture);

struct CallChain {
  std::vector<std::string> components;           // client first
  std::vector<std::optional<double>> timeouts_ms; // one per hop: the timeout set on that call, if any
  std::vector<std::string> timeout_fields;       // one per hop: the field that sets it, e.g. integration_timeout_ms ("" when unset)
  std::vector<bool> can_time_out;                // one per hop: whether the caller has a timeout field at all
  std::vector<double> hop_work_ms;               // one per hop: the called component's mean work (0 when unknown)
  double work_ms = 0;                            // mean work summed over the chain, without queueing (where known)

  std::size_t hops() const { return timeouts_ms.size(); }
  std::optional<double> caller_timeout_ms() const { return timeouts_ms.empty() ? std::nullopt : timeouts_ms.front(); }
  double inner_timeouts_ms() const;              // sum of the timeouts below the first hop
  std::size_t inner_hops_without_timeout() const;
};

// Calls `visit` with every simple path of synchronous calls from `start` (the empty one first), depth
// first; after `max_steps` visits it stops (simple paths can explode: a large model gets a good
// answer, not the best).
void for_each_sync_path(const Architecture& architecture, const std::string& start,
                        const std::function<void(const std::vector<const Edge*>&)>& visit, std::size_t max_steps = 200000);

// The longest chain of synchronous calls starting at `client` (ties: the larger summed timeouts).
CallChain longest_sync_chain(const Architecture& architecture, const std::string& client);

// Mean of a duration parameter: a number, or a distribution object with a mean (0 when unknown).
double mean_ms(const nlohmann::json& duration);

// The mean time `component` spends on one call along `edge`, without queueing: its service_time_ms, or
// its latency_ms (per operation when it is given per operation, as a table's), or its api_latency_ms.
double mean_work_ms(const ArchComponent& component, const Edge& edge);

// Fan-out is counted per request kind: per object_map entry (a service's handlers.<kind>) and for the
// defaults, each over the edges of that scope that call, send to or poll another component.
struct FanOut {
  std::string scope;                 // "" for the defaults, else e.g. handlers.submit
  std::set<std::string> targets;     // distinct components called
  std::size_t calls = 0;             // distinct groups: a pool of alternatives is one call
  bool is_all_sync = true;
};
std::vector<FanOut> fan_out_by_scope(const Architecture& architecture, const std::string& id);

std::vector<Finding> call_structure_findings(const Architecture& architecture);

}  // namespace archlab::analysis
