// The cache on the test scheduler: read-through, TTL, stale hits, node failure, who was answered when.
#include "sim/components/cache/cache.hpp"
#include "sim/core/fault_plan.hpp"
#include "sim/core/key_versions.hpp"
#include "sim/testing/test_world.hpp"

#include <catch2/catch.hpp>

using archlab::FaultEvent;
using archlab::Operation;
using archlab::Outcome;
using archlab::PutArguments;
using archlab::Status;
using archlab::testing::Probe;
using archlab::testing::TestWorld;
using nlohmann::json;

namespace {
const Operation get_operation = Operation::named("get");
const Operation put_operation = Operation::named("put");

json constant_ms(double value) { return {{"dist", "constant"}, {"value", value}}; }

json cache_model(json cache)
{
  cache["type"] = "cache";
  cache["latency_ms"] = {{"get", constant_ms(1)}, {"put", constant_ms(1)}, {"delete", constant_ms(1)}};
  json table = {{"type", "table"}, {"latency_ms", {{"get", constant_ms(3)}}}};
  return {{"name", "cache-test"}, {"components", {{"cache", cache}, {"db", table}}}, {"run", {{"duration_s", 1000}}}};
}

json summary_of(TestWorld& test)
{
  json summary;
  test.component("cache").add_summary(summary, 100);
  return summary;
}
}  // namespace

TEST_CASE("cache: read-through — a miss is read from the origin and stored, the next get is a hit", "[cache]")
{
  TestWorld test(cache_model({{"origin", {{"target", "db"}, {"operation", "get"}}}}));
  Probe probe(test.scheduler());
  probe.prototype.key = 7;
  probe.prototype.is_measured = true;
  test.start();
  probe.send(test.component("cache"), 1, get_operation);
  test.scheduler().at(1.0, [&] { probe.send(test.component("cache"), 2, get_operation); });
  test.run_until(10);
  REQUIRE(probe.answers.size() == 2);
  // The lookup (1 ms), then the table's get (3 ms); the hit takes the lookup only.
  CHECK(probe.answers[0].at_s == Approx(0.004));
  CHECK(probe.answers[0].status == Status::miss);
  CHECK(probe.answers[0].outcome == Outcome::ok);
  CHECK(probe.answers[1].at_s == Approx(1.001));
  CHECK(probe.answers[1].status == Status::hit);
  auto summary = summary_of(test);
  CHECK(summary["origin_requests"] == 1);
  CHECK(summary["hit_ratio"] == Approx(0.5));
  CHECK(summary["served_age_s"]["mean"].get<double>() == Approx((0 + (1.0 - 0.004)) / 2).epsilon(0.01));
}

TEST_CASE("cache: a copy expires ttl_s after it was stored, and a hit does not renew it (Redis SET with EX)", "[cache]")
{
  TestWorld test(cache_model({{"origin", {{"target", "db"}, {"operation", "get"}}}, {"ttl_s", 10}}));
  Probe probe(test.scheduler());
  probe.prototype.key = 3;
  test.start();
  for (auto [tag, at_s] : {std::pair{1, 0.0}, std::pair{2, 9.0}, std::pair{3, 10.5}})
    test.scheduler().at(at_s, [&, tag = tag] { probe.send(test.component("cache"), tag, get_operation); });
  test.run_until(20);
  REQUIRE(probe.answers.size() == 3);
  CHECK(probe.answers[0].status == Status::miss);
  CHECK(probe.answers[1].status == Status::hit);  // stored at 0.004: fresh until 10.004
  CHECK(probe.answers[2].status == Status::miss);
}

TEST_CASE("cache: without an origin a get answers miss; a write elsewhere makes the copy a stale hit, a fill does not", "[cache]")
{
  TestWorld test(cache_model({}));
  Probe probe(test.scheduler());
  probe.prototype.key = 9;
  probe.prototype.is_measured = true;
  test.start();
  PutArguments fill;
  fill.is_fill = true;
  probe.send(test.component("cache"), 1, get_operation);
  probe.send(test.component("cache"), 2, put_operation, &fill);
  test.scheduler().at(1, [&] { probe.send(test.component("cache"), 3, get_operation); });
  test.scheduler().at(2, [&] { archlab::key_versions_of(test.world()).write(9); });  // the table's item changes
  test.scheduler().at(3, [&] { probe.send(test.component("cache"), 4, get_operation); });
  test.run_until(10);
  REQUIRE(probe.answers.size() == 4);
  CHECK(probe.answers[0].status == Status::miss);
  CHECK(probe.answers[2].status == Status::hit);
  CHECK(probe.answers[3].status == Status::hit);
  auto summary = summary_of(test);
  CHECK(summary["hits"] == 2);
  CHECK(summary["stale_hits"] == 1);
  CHECK(summary["stale_hit_ratio"] == Approx(0.5));
  CHECK(archlab::key_versions_of(test.world()).version(9) == 1);  // the fill wrote nothing
}

TEST_CASE("cache: a killed node refuses calls and restarts empty", "[cache]")
{
  TestWorld test(cache_model({}));
  Probe probe(test.scheduler());
  probe.prototype.key = 4;
  test.start();
  auto& cache = test.component("cache");
  probe.send(cache, 1, put_operation);
  FaultEvent kill{.at_s = 1, .action = "kill", .target = "cache"};
  FaultEvent recover{.at_s = 3, .action = "recover", .target = "cache"};
  test.scheduler().at(1, [&] { cache.apply_fault(kill, test.world()); });
  test.scheduler().at(2, [&] { probe.send(cache, 2, get_operation); });
  test.scheduler().at(3, [&] { cache.apply_fault(recover, test.world()); });
  test.scheduler().at(4, [&] { probe.send(cache, 3, get_operation); });
  test.run_until(10);
  REQUIRE(probe.answers.size() == 3);
  CHECK(probe.answers[1].outcome == Outcome::failed);
  CHECK(probe.answers[1].at_s == Approx(2));
  CHECK(probe.answers[2].status == Status::miss);  // the item stored before the failure is gone
  CHECK(summary_of(test)["items_lost"] == 1);
}

TEST_CASE("cache: billed per node-hour of its node type", "[cache]")
{
  TestWorld test(cache_model({{"node_type", "cache.m5.large"}, {"nodes", 2}}));
  std::vector<archlab::BillingLine> lines;
  test.component("cache").add_billing(lines, 7200);
  REQUIRE(lines.size() == 1);
  CHECK(lines[0].item == "elasticache.cache.m5.large.hour");
  CHECK(lines[0].quantity == Approx(4));
}

TEST_CASE("keys: a client's requests carry keys from its key space, and a handler marked writes bumps their versions", "[cache][client]")
{
  json client = {{"type", "client"}, {"target", "api"}, {"arrivals", {{"process", "constant"}, {"rate_per_s", 10}}},
                 {"keys", {{"dist", "uniform"}, {"count", 2}}}};
  json api = {{"type", "service"}, {"service_time_ms", constant_ms(1)}, {"writes", true}, {"concurrency", 4}};
  TestWorld test({{"name", "keys-test"}, {"components", {{"users", client}, {"api", api}}}, {"run", {{"duration_s", 100}}}});
  test.start();
  test.run_until(100.5);
  auto& versions = archlab::key_versions_of(test.world());
  auto written = versions.version(1) + versions.version(2);
  auto completed = test.component("api").stats().lifetime().completed;
  CHECK(completed > 990);
  CHECK(written == completed);  // one write per request handled to the end
  CHECK(versions.version(1) > 400);  // both keys drawn, about half each
  CHECK(versions.version(2) > 400);
  CHECK(versions.version(3) == 0);
}

TEST_CASE("cache: cache-aside — a service's get that misses falls back to the database; a hit does not", "[cache]")
{
  auto model = cache_model({});
  model["components"]["api"] = {{"type", "service"}, {"service_time_ms", constant_ms(1)},
                                {"calls", {{{"target", "cache"}, {"operation", "get"}, {"fallback", {{"target", "db"}, {"operation", "get"}}}}}}};
  TestWorld test(model);
  Probe probe(test.scheduler());
  probe.prototype.key = 2;
  test.start();
  probe.send(test.component("api"), 1);
  test.scheduler().at(1, [&] { probe.send(test.component("cache"), 2, put_operation); });
  test.scheduler().at(2, [&] { probe.send(test.component("api"), 3); });
  test.run_until(10);
  REQUIRE(probe.answers.size() == 3);
  // Its work (1 ms), the cache's miss (1 ms), the table's get (3 ms); then work and a hit.
  CHECK(probe.answers[0].at_s == Approx(0.005));
  CHECK(probe.answers[0].outcome == Outcome::ok);
  CHECK(probe.answers[2].at_s == Approx(2.002));
  CHECK(probe.answers[2].status == Status::hit);
  CHECK(test.component("db").stats().lifetime().arrivals == 1);
}
