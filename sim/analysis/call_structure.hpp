// The shape of the calls: synchronous call cycles, parts no client reaches, the longest synchronous
// chain from each client with its timeouts, and components that call many others (fan-out).
#pragma once

#include "sim/analysis/architecture.hpp"
#include "sim/analysis/findings.hpp"

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
  double work_ms = 0;                            // mean service time summed over the chain (where known)

  std::size_t hops() const { return timeouts_ms.size(); }
  std::optional<double> caller_timeout_ms() const { return timeouts_ms.empty() ? std::nullopt : timeouts_ms.front(); }
  double inner_timeouts_ms() const;              // sum of the timeouts below the first hop
  std::size_t inner_hops_without_timeout() const;
};

// The longest chain of synchronous calls starting at `client` (ties: the larger summed timeouts).
CallChain longest_sync_chain(const Architecture& architecture, const std::string& client);

// Mean of a duration parameter: a number, or a distribution object with a mean (0 when unknown).
double mean_ms(const nlohmann::json& duration);

std::vector<Finding> call_structure_findings(const Architecture& architecture);

}  // namespace archlab::analysis
