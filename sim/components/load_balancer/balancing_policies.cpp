#include "sim/components/load_balancer/balancing_policies.hpp"

#include <algorithm>

namespace archlab {

namespace {
// splitmix64's finaliser: neighbouring flow ids land on unrelated targets.
std::uint64_t mixed(std::uint64_t value)
{
  value += 0x9E3779B97F4A7C15ull;
  value = (value ^ (value >> 30)) * 0xBF58476D1CE4E5B9ull;
  value = (value ^ (value >> 27)) * 0x94D049BB133111EBull;
  return value ^ (value >> 31);
}
}  // namespace

const std::vector<std::string>& balancing_policy_names()
{
  static const std::vector<std::string> names = {"round_robin", "least_outstanding_requests", "random", "weighted", "flow_hash"};
  return names;
}

BalancingPolicy balancing_policy_named(const std::string& name)
{
  auto found = std::find(balancing_policy_names().begin(), balancing_policy_names().end(), name);
  return static_cast<BalancingPolicy>(found - balancing_policy_names().begin());
}

std::size_t choose_target(BalancingPolicy policy, const std::vector<TargetView>& targets, BalancerMemory& memory, Rng& rng, std::uint64_t flow)
{
  bool any_healthy = std::any_of(targets.begin(), targets.end(), [](const TargetView& t) { return t.is_healthy; });
  auto eligible = [&](std::size_t i) { return !any_healthy || targets[i].is_healthy; };
  const std::size_t n = targets.size();

  switch (policy) {
    case BalancingPolicy::round_robin:
      for (std::size_t step = 0; step < n; ++step) {
        std::size_t i = (memory.next_turn + step) % n;
        if (eligible(i)) {
          memory.next_turn = i + 1;
          return i;
        }
      }
      break;
    case BalancingPolicy::least_outstanding_requests: {
      // ties rotate like round robin, so equal targets share the load evenly
      std::size_t best = n;
      for (std::size_t step = 0; step < n; ++step) {
        std::size_t i = (memory.next_turn + step) % n;
        if (eligible(i) && (best == n || targets[i].outstanding < targets[best].outstanding))
          best = i;
      }
      memory.next_turn = best + 1;
      return best;
    }
    case BalancingPolicy::random: {
      std::size_t count = 0;
      for (std::size_t i = 0; i < n; ++i)
        count += eligible(i) ? 1 : 0;
      std::size_t pick = rng.below(count);
      for (std::size_t i = 0; i < n; ++i)
        if (eligible(i) && pick-- == 0)
          return i;
      break;
    }
    case BalancingPolicy::weighted: {
      double total = 0;
      for (std::size_t i = 0; i < n; ++i)
        total += eligible(i) ? targets[i].weight : 0;
      double draw = rng.uniform01() * total;
      std::size_t last = 0;
      for (std::size_t i = 0; i < n; ++i) {
        if (!eligible(i) || targets[i].weight <= 0)
          continue;
        last = i;
        if (draw < targets[i].weight)
          return i;
        draw -= targets[i].weight;
      }
      return last;
    }
    case BalancingPolicy::flow_hash: {
      std::size_t count = 0;
      for (std::size_t i = 0; i < n; ++i)
        count += eligible(i) ? 1 : 0;
      std::size_t pick = static_cast<std::size_t>(mixed(flow) % count);
      for (std::size_t i = 0; i < n; ++i)
        if (eligible(i) && pick-- == 0)
          return i;
      break;
    }
  }
  return 0;
}

void zonal_candidates(const std::vector<TargetView>& targets, std::uint64_t flow, std::vector<std::size_t>& candidates)
{
  candidates.clear();
  bool any_healthy = std::any_of(targets.begin(), targets.end(), [](const TargetView& t) { return t.is_healthy; });
  std::vector<std::uint16_t> nodes;  // zones whose node DNS hands out, in zone order
  for (const auto& target : targets)
    if (target.zone != 0 && (target.is_healthy || !any_healthy) && std::find(nodes.begin(), nodes.end(), target.zone) == nodes.end())
      nodes.push_back(target.zone);
  std::sort(nodes.begin(), nodes.end());
  // the node from another mix of the flow than the target's, so that the two choices are independent
  std::uint16_t node = nodes.empty() ? 0 : nodes[mixed(flow ^ 0x5DEECE66Dull) % nodes.size()];
  for (std::size_t i = 0; i < targets.size(); ++i)
    if (targets[i].zone == node || targets[i].zone == 0)
      candidates.push_back(i);
}

}  // namespace archlab
