// Which target gets the next request. Pure functions over the balancer's view of its targets, so
// they are tested without a simulation. Unhealthy targets are skipped unless every target is
// unhealthy: then all of them get traffic (ALB fail-open).
#pragma once

#include "sim/core/random.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace archlab {

enum class BalancingPolicy { round_robin, least_outstanding_requests, random, weighted, flow_hash };

BalancingPolicy balancing_policy_named(const std::string& name);  // the model was validated: name is known
const std::vector<std::string>& balancing_policy_names();

struct TargetView {
  int outstanding = 0;   // sent and not yet answered
  bool is_healthy = true;
  double weight = 1;
  std::uint16_t zone = 0;  // 1 + its zone's place among the balancer's zones; 0: in none of them
};

struct BalancerMemory {
  std::size_t next_turn = 0;  // round robin's position
};

// `flow` names the request's connection (flow_hash: an NLB hashes a flow's 5-tuple, so every request
// of a kept-alive connection lands on one target while the healthy targets stay the same).
std::size_t choose_target(BalancingPolicy policy, const std::vector<TargetView>& targets, BalancerMemory& memory, Rng& rng,
                          std::uint64_t flow = 0);

// A network load balancer without cross-zone balancing has a node in each zone, and each node sends
// only to the targets in its zone. DNS hands clients only the nodes with a healthy target (all of
// them when none has one), and a connection stays with the node its client resolved: the flow picks
// the node, as it picks the target within it. `candidates` receives the indexes of the chosen node's
// targets (a target in no zone is in every node's); empty only when there are no targets.
void zonal_candidates(const std::vector<TargetView>& targets, std::uint64_t flow, std::vector<std::size_t>& candidates);

}  // namespace archlab
