#include "sim/components/load_balancer/balancing_policies.hpp"
#include "sim/components/load_balancer/health_check.hpp"

#include <catch2/catch.hpp>
#include <map>
#include <set>

using namespace archlab;

TEST_CASE("round robin: takes turns and skips unhealthy targets", "[load_balancer]")
{
  std::vector<TargetView> targets(3);
  BalancerMemory memory;
  Rng rng(1);
  CHECK(choose_target(BalancingPolicy::round_robin, targets, memory, rng) == 0);
  CHECK(choose_target(BalancingPolicy::round_robin, targets, memory, rng) == 1);
  targets[2].is_healthy = false;
  CHECK(choose_target(BalancingPolicy::round_robin, targets, memory, rng) == 0);
  CHECK(choose_target(BalancingPolicy::round_robin, targets, memory, rng) == 1);
}

TEST_CASE("least outstanding requests: picks the idlest healthy target", "[load_balancer]")
{
  std::vector<TargetView> targets{{.outstanding = 3}, {.outstanding = 1}, {.outstanding = 0, .is_healthy = false}};
  BalancerMemory memory;
  Rng rng(1);
  CHECK(choose_target(BalancingPolicy::least_outstanding_requests, targets, memory, rng) == 1);
}

TEST_CASE("fail-open: when every target is unhealthy, all of them get traffic (ALB)", "[load_balancer]")
{
  std::vector<TargetView> targets{{.is_healthy = false}, {.is_healthy = false}};
  BalancerMemory memory;
  Rng rng(1);
  std::map<std::size_t, int> seen;
  for (int i = 0; i < 10; ++i)
    ++seen[choose_target(BalancingPolicy::round_robin, targets, memory, rng)];
  CHECK(seen[0] == 5);
  CHECK(seen[1] == 5);
}

TEST_CASE("weighted: shares follow the weights", "[load_balancer]")
{
  std::vector<TargetView> targets{{.weight = 3}, {.weight = 1}};
  BalancerMemory memory;
  Rng rng(9);
  int first = 0;
  for (int i = 0; i < 40000; ++i)
    first += choose_target(BalancingPolicy::weighted, targets, memory, rng) == 0 ? 1 : 0;
  CHECK(first / 40000.0 == Approx(0.75).margin(0.01));
}

TEST_CASE("random: never picks an unhealthy target while a healthy one exists", "[load_balancer]")
{
  std::vector<TargetView> targets{{.is_healthy = false}, {}, {.is_healthy = false}};
  BalancerMemory memory;
  Rng rng(2);
  for (int i = 0; i < 100; ++i)
    REQUIRE(choose_target(BalancingPolicy::random, targets, memory, rng) == 1);
}

TEST_CASE("health check: unhealthy after 2 failures, healthy again after 5 passes (ALB defaults)", "[load_balancer]")
{
  HealthCheckSettings settings;
  TargetHealth health;
  CHECK_FALSE(record_health_check(health, false, settings));
  CHECK(health.is_healthy);
  CHECK(record_health_check(health, false, settings));
  CHECK_FALSE(health.is_healthy);
  for (int i = 0; i < 4; ++i)
    CHECK_FALSE(record_health_check(health, true, settings));
  CHECK(record_health_check(health, true, settings));
  CHECK(health.is_healthy);
}

TEST_CASE("health check: a pass in between resets the failure count", "[load_balancer]")
{
  HealthCheckSettings settings;
  TargetHealth health;
  record_health_check(health, false, settings);
  record_health_check(health, true, settings);
  record_health_check(health, false, settings);
  CHECK(health.is_healthy);
}

TEST_CASE("flow hash: one flow keeps its target while the healthy targets stay; flows spread; an unhealthy target is skipped",
          "[load_balancer]")
{
  std::vector<TargetView> targets(4);
  BalancerMemory memory;
  Rng rng(1);
  auto first = choose_target(BalancingPolicy::flow_hash, targets, memory, rng, 42);
  for (int i = 0; i < 10; ++i)
    CHECK(choose_target(BalancingPolicy::flow_hash, targets, memory, rng, 42) == first);
  std::map<std::size_t, int> by_target;
  for (std::uint64_t flow = 1; flow <= 4000; ++flow)
    ++by_target[choose_target(BalancingPolicy::flow_hash, targets, memory, rng, flow)];
  CHECK(by_target.size() == 4);
  for (auto [target, flows] : by_target)
    CHECK(flows == Approx(1000).margin(100));
  targets[first].is_healthy = false;
  CHECK(choose_target(BalancingPolicy::flow_hash, targets, memory, rng, 42) != first);
}

TEST_CASE("conformance (NLB without cross-zone load balancing: each zone's node sends only to its zone's targets)", "[load_balancer][conformance]")
{
  // zone 1 holds targets 0 and 2, zone 2 target 1: half the flows go to each node, so target 1 gets half
  std::vector<TargetView> views = {{.zone = 1}, {.zone = 2}, {.zone = 1}};
  std::vector<std::size_t> candidates;
  std::vector<int> per_node(3, 0);
  for (std::uint64_t flow = 1; flow <= 10000; ++flow) {
    archlab::zonal_candidates(views, flow, candidates);
    REQUIRE(!candidates.empty());
    per_node[views[candidates[0]].zone] += 1;
    for (auto i : candidates)
      CHECK(views[i].zone == views[candidates[0]].zone);
  }
  CHECK(per_node[1] == Approx(5000).epsilon(0.05));
  CHECK(per_node[2] == Approx(5000).epsilon(0.05));
}

TEST_CASE("conformance (NLB: DNS leaves out a zone's node with no healthy target; with none healthy anywhere, it fails open)", "[load_balancer][conformance]")
{
  std::vector<TargetView> views = {{.is_healthy = false, .zone = 1}, {.zone = 2}, {.is_healthy = false, .zone = 1}};
  std::vector<std::size_t> candidates;
  for (std::uint64_t flow = 1; flow <= 200; ++flow) {
    archlab::zonal_candidates(views, flow, candidates);
    CHECK(candidates == std::vector<std::size_t>{1});
  }
  for (auto& view : views)
    view.is_healthy = false;
  std::set<std::uint16_t> zones_seen;
  for (std::uint64_t flow = 1; flow <= 200; ++flow) {
    archlab::zonal_candidates(views, flow, candidates);
    zones_seen.insert(views[candidates[0]].zone);
  }
  CHECK(zones_seen.size() == 2);
}

TEST_CASE("load balancer: a connection stays with its node (the same flow, the same zone)", "[load_balancer]")
{
  std::vector<TargetView> views = {{.zone = 1}, {.zone = 2}, {.zone = 1}, {.zone = 2}};
  std::vector<std::size_t> first, again;
  archlab::zonal_candidates(views, 42, first);
  archlab::zonal_candidates(views, 42, again);
  CHECK(first == again);
}
