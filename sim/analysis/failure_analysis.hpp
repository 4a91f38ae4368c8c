// Single points of failure: which losses cut a client off from what its requests need.
//
// What a component needs to answer: one member of every group of its outgoing request, sync_call,
// forward and async_message edges (a reference_list such as load_balancer.targets is one group of
// alternatives; every other reference is a group of its own; a message must be accepted, so a sender
// needs its queue), and the component it polls. For its work to be finished as well, a queue also needs
// one of its consumers: the components that poll it in a loop of their own (nobody calls them; a
// request handler that peeks with ReceiveMessage is not one). A client is served while it is up and, in
// turn, all it needs is up. Cycles are fine: availability is the largest consistent set.
//
// Losses tried: one instance fault (kills components with a single instance: `instances`, or
// scaling.min for an Auto Scaling group; a component without an `instances` parameter, like a load
// balancer, is one box unless it lists two zones or more) and each zone outage (kills components whose
// instances all sit in that zone). Types AWS runs across the region's zones (ComponentType::
// is_managed_multi_zone: API Gateway, SQS, DynamoDB) are never lost.
#pragma once

#include "sim/analysis/architecture.hpp"
#include "sim/analysis/findings.hpp"

#include <set>
#include <string>
#include <vector>

namespace archlab::analysis {

enum class Dependence {
  answers,   // what a client needs for its requests to be answered
  work,      // ... and for the work they leave in queues to be done (a queue needs a consumer)
};

// The components still working when those in `lost` are down (clients are never lost).
std::set<std::string> available_components(const Architecture& architecture, const std::set<std::string>& lost,
                                           Dependence dependence = Dependence::work);

// Clients that can no longer be served (answers and queued work), sorted.
std::vector<std::string> clients_cut_off(const Architecture& architecture, const std::set<std::string>& lost);

// Clients whose requests can no longer be answered, sorted (a subset of clients_cut_off).
std::vector<std::string> clients_unanswered(const Architecture& architecture, const std::set<std::string>& lost);

// Components whose instances all sit in `zone` (a zone outage takes them down completely); never a
// client or a managed multi-zone service.
std::set<std::string> components_only_in_zone(const Architecture& architecture, const std::string& zone);

// Whether a fault of the model can take the component down at all (not a client, not managed multi-zone).
bool can_be_lost(const ArchComponent& component);

// A dependency path from `client` to `needed`, e.g. {users, lb, api}; empty when there is none.
std::vector<std::string> dependency_path(const Architecture& architecture, const std::string& client, const std::string& needed,
                                         Dependence dependence = Dependence::work);

// The same path in words: "users → lb → api ⇢ jobs ⇠ worker" (⇢ a message is sent to, ⇠ is polled by).
std::string dependency_story(const Architecture& architecture, const std::string& client, const std::string& needed,
                             Dependence dependence = Dependence::work);

std::vector<Finding> single_points_of_failure(const Architecture& architecture);

}  // namespace archlab::analysis
