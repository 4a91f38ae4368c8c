// Single points of failure: which losses cut a client off from what its requests need.
//
// What a component needs: one member of every group of its outgoing request, sync_call, forward and
// async_message edges (a reference_list such as load_balancer.targets is one group of alternatives;
// every other reference is a group of its own), the component it polls, and, when something polls it
// (a queue and its workers), at least one of its pollers. A client is served while it is up and, in
// turn, all it needs is up. Cycles are fine: availability is the largest consistent set.
//
// Losses tried: one instance fault (kills components with a single instance; a component without an
// `instances` parameter, like a load balancer, is one box) and each zone outage (kills components
// whose instances all sit in that zone).
#pragma once

#include "sim/analysis/architecture.hpp"
#include "sim/analysis/findings.hpp"

#include <set>
#include <string>
#include <vector>

namespace archlab::analysis {

// The components still working when those in `lost` are down (clients are never lost).
std::set<std::string> available_components(const Architecture& architecture, const std::set<std::string>& lost);

// Clients that can no longer be served, sorted.
std::vector<std::string> clients_cut_off(const Architecture& architecture, const std::set<std::string>& lost);

// Components whose instances all sit in `zone` (a zone outage takes them down completely).
std::set<std::string> components_only_in_zone(const Architecture& architecture, const std::string& zone);

// A dependency path from `client` to `needed`, e.g. {users, lb, api}; empty when there is none.
std::vector<std::string> dependency_path(const Architecture& architecture, const std::string& client, const std::string& needed);

std::vector<Finding> single_points_of_failure(const Architecture& architecture);

}  // namespace archlab::analysis
