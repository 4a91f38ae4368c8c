// The load balancer on the test scheduler: an NLB keeps each connection on one target.
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
