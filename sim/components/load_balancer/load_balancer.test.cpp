// The load balancer on the test scheduler: an NLB keeps each connection on one target.
#include "sim/core/fault_plan.hpp"
#include "sim/testing/test_world.hpp"

#include <catch2/catch.hpp>

using archlab::testing::Probe;
using archlab::testing::TestWorld;
using nlohmann::json;

namespace {
json balancer_before_four(json balancer)
{
  balancer["type"] = "load_balancer";
  balancer["targets"] = {"app"};
  return {{"name", "lb-test"},
          {"components", {{"lb", balancer}, {"app", {{"type", "service"}, {"instances", 4}, {"concurrency", 10}, {"service_time_ms", 1}}}}},
          {"run", {{"duration_s", 100}}}};
}

std::vector<std::uint64_t> requests_by_target(TestWorld& test)
{
  json summary;
  test.component("lb").add_summary(summary, 10);
  std::vector<std::uint64_t> counts;
  for (auto& [name, target] : summary.at("targets").items())
    counts.push_back(target.at("requests").get<std::uint64_t>());
  return counts;
}
}  // namespace

TEST_CASE("conformance (NLB: a TCP connection is routed to one target by its flow hash, for as long as it lasts)", "[load_balancer][conformance]")
{
  for (const char* kind : {"network", "application"}) {
    TestWorld test(balancer_before_four({{"kind", kind}}));
    Probe probe(test.scheduler());
    probe.prototype.connection = 77;  // one kept-alive connection
    test.start();
    for (std::uint64_t tag = 1; tag <= 40; ++tag)
      test.scheduler().at(0.01 * static_cast<double>(tag), [&probe, &test, tag] { probe.send(test.component("lb"), tag); });
    test.run_until(10);
    REQUIRE(probe.answers.size() == 40);
    auto counts = requests_by_target(test);
    auto busiest = *std::max_element(counts.begin(), counts.end());
    if (std::string(kind) == "network")
      CHECK(busiest == 40);  // all on one target
    else
      CHECK(busiest == 10);  // an ALB takes turns per request
  }
}

TEST_CASE("load balancer: flow_hash is an NLB's, and an NLB has no other policy", "[load_balancer]")
{
  CHECK_THROWS_WITH(TestWorld(balancer_before_four({{"policy", "flow_hash"}})), Catch::Contains("network load balancer"));
  CHECK_THROWS_WITH(TestWorld(balancer_before_four({{"kind", "network"}, {"policy", "random"}})), Catch::Contains("flow hash"));
}

TEST_CASE("conformance (Auto Scaling HealthCheckType ELB: an instance its load balancer marks unhealthy is terminated and replaced)",
          "[load_balancer][conformance]")
{
  auto replaced_after_hang = [](const char* health_check_type) {
    json model = balancer_before_four({{"health_check", {{"interval_s", 5}, {"timeout_s", 2}, {"unhealthy_threshold", 2}}}});
    model["components"]["app"].erase("instances");
    model["components"]["app"]["scaling"] = {{"min", 2}, {"max", 2}, {"launch_time_s", 30}, {"health_check_type", health_check_type}};
    TestWorld test(model);
    test.start();
    archlab::FaultEvent hang;
    hang.action = "hang";
    hang.target = "app";
    hang.instance = 0;
    test.scheduler().at(1, [&] { test.component("app").apply_fault(hang, test.world()); });
    test.run_until(100);
    json summary;
    test.component("app").add_summary(summary, 100);
    return summary["scaling"]["replaced"].get<int>();
  };
  CHECK(replaced_after_hang("elb") == 1);  // out after 2 failed checks, then a replacement launched
  CHECK(replaced_after_hang("ec2") == 0);  // an EC2 check sees it running: it stays, out of rotation
}
