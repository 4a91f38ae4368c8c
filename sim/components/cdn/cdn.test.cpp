// The CDN on the test scheduler: request collapsing (held to its origin-rate formula), stale if
// error and error caching (CloudFront's documented behaviour), TTLs per request kind.
#include "sim/components/cdn/cdn.hpp"
#include "sim/components/cache/cache_theory.hpp"
#include "sim/core/fault_plan.hpp"
#include "sim/testing/test_world.hpp"

#include <catch2/catch.hpp>

using archlab::FaultEvent;
using archlab::Outcome;
using archlab::Status;
using archlab::testing::Probe;
using archlab::testing::TestWorld;
using nlohmann::json;

namespace {
json constant_ms(double value) { return {{"dist", "constant"}, {"value", value}}; }

json cdn_model(json cdn, double origin_ms)
{
  cdn["type"] = "cdn";
  cdn["edge_latency_ms"] = constant_ms(1);
  if (!cdn.contains("origin"))
    cdn["origin"] = {{"target", "api"}};
  json api = {{"type", "service"}, {"service_time_ms", constant_ms(origin_ms)}, {"concurrency", 100}};
  json db = {{"type", "table"}, {"latency_ms", {{"get", constant_ms(origin_ms)}}}, {"sdk_max_attempts", 1}};
  return {{"name", "cdn-test"}, {"components", {{"edge", cdn}, {"api", api}, {"db", db}}}, {"run", {{"duration_s", 5000}}}};
}

json summary_of(TestWorld& test)
{
  json summary;
  test.component("edge").add_summary(summary, 0);
  return summary;
}
}  // namespace

TEST_CASE("cdn: concurrent misses for one object make one origin request (CloudFront request collapsing)", "[cdn][conformance]")
{
  for (bool collapse : {true, false}) {
    TestWorld test(cdn_model({{"ttl_s", 60}, {"collapse", collapse}}, 100));
    Probe probe(test.scheduler());
    probe.prototype.key = 1;
    probe.prototype.is_measured = true;
    test.start();
    for (int i = 0; i < 5; ++i)
      test.scheduler().at(0.01 * i, [&, i] { probe.send(test.component("edge"), i); });
    test.run_until(1);
    REQUIRE(probe.answers.size() == 5);
    // All wait for the first origin request (0 → 0.100) when collapsing, plus the edge's 1 ms back.
    CHECK(probe.answers[4].at_s == Approx(collapse ? 0.101 : 0.141));
    CHECK(test.component("api").stats().lifetime().arrivals == (collapse ? 1u : 5u));
    CHECK(summary_of(test)["collapsed"] == (collapse ? 4 : 0));
  }
}

TEST_CASE("cdn: an expired copy is served when the origin fails, and the error is cached for 10 s (CloudFront stale-if-error, error caching)", "[cdn][conformance]")
{
  TestWorld test(cdn_model({{"ttl_s", 10}, {"origin", {{"target", "db"}, {"operation", "get"}}}}, 5));
  Probe probe(test.scheduler());
  probe.prototype.key = 8;
  probe.prototype.is_measured = true;
  test.start();
  auto& edge = test.component("edge");
  FaultEvent fail{.at_s = 5, .action = "fail", .target = "db", .failure_probability = 1};
  test.scheduler().at(0, [&] { probe.send(edge, 1); });
  test.scheduler().at(5, [&] { test.component("db").apply_fault(fail, test.world()); });
  test.scheduler().at(20, [&] { probe.send(edge, 2); });  // expired: the origin fails, the stale copy is served
  test.scheduler().at(25, [&] { probe.send(edge, 3); });  // within the cached error: no origin request
  test.scheduler().at(40, [&] { probe.send(edge, 4); });  // the cached error is over: the origin fails again
  test.run_until(60);
  REQUIRE(probe.answers.size() == 4);
  for (const auto& heard : probe.answers)
    CHECK(heard.outcome == Outcome::ok);
  CHECK(probe.answers[1].status == Status::hit);
  CHECK(probe.answers[1].at_s == Approx(20.006));
  CHECK(probe.answers[2].at_s == Approx(25.001));
  CHECK(test.component("db").stats().lifetime().arrivals == 3);  // at 0, 20 and 40
  auto summary = summary_of(test);
  CHECK(summary["stale_served_on_error"] == 3);
  CHECK(summary["origin_requests"] == 3);
}

TEST_CASE("cdn: each request kind has its own behaviour, its TTL from the origin's max-age within its bounds", "[cdn]")
{
  TestWorld test(cdn_model({{"ttl_s", 100}, {"behaviors", {{"api", {{"max_ttl_s", 2}, {"origin_max_age_s", 60}}}}}}, 5));
  Probe probe(test.scheduler());
  probe.prototype.key = 1;
  probe.prototype.kind = test.world().kind_id("api");
  test.start();
  auto& edge = test.component("edge");
  probe.send(edge, 1);
  test.scheduler().at(3, [&] { probe.send(edge, 2); });  // the api object lived 2 s: a miss
  test.scheduler().at(3.5, [&] {
    probe.prototype.kind = 0;
    probe.send(edge, 3);
  });
  test.scheduler().at(50, [&] { probe.send(edge, 4); });  // the page lives 100 s: a hit
  test.run_until(60);
  REQUIRE(probe.answers.size() == 4);
  CHECK(probe.answers[1].status == Status::miss);
  CHECK(probe.answers[2].status == Status::miss);  // another cache key: another kind
  CHECK(probe.answers[3].status == Status::hit);
}

TEST_CASE("cdn theory: with collapsing, one object's origin rate is 1/(D + T + 1/λ), and without, 1 + λD fetches a longer cycle", "[cdn][theory]")
{
  // λ = 2 per s Poisson, origin fetch D = 0.5 s, TTL T = 1 s (theory-and-peers-2 §1.2).
  const double rate_per_s = 2, fetch_s = 0.5, ttl_s = 1, duration_s = 5000;
  for (bool collapse : {true, false}) {
    auto model = cdn_model({{"ttl_s", ttl_s}, {"collapse", collapse}}, fetch_s * 1000);
    model["components"]["users"] = {{"type", "client"}, {"target", "edge"}, {"arrivals", {{"process", "poisson"}, {"rate_per_s", rate_per_s}}}};
    TestWorld test(model);
    test.start();
    test.run_until(duration_s);
    double origin_rate_per_s = static_cast<double>(test.component("api").stats().lifetime().arrivals) / duration_s;
    double expected = collapse ? archlab::collapsed_origin_rate_per_s(rate_per_s, fetch_s, ttl_s)
                               : archlab::uncollapsed_origin_rate_per_s(rate_per_s, fetch_s, ttl_s);
    INFO("collapse " << collapse << ": origin " << origin_rate_per_s << " per s, formula " << expected);
    CHECK(origin_rate_per_s == Approx(expected).epsilon(0.03));
  }
}
