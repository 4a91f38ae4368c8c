// The table on the test scheduler: it answers each attempt once, and the AWS SDK's retries run in
// the caller's call site (by default the SDK's standard mode, from the table's sdk_* parameters).
#include "sim/testing/test_world.hpp"

#include <catch2/catch.hpp>

using archlab::Outcome;
using archlab::testing::Probe;
using archlab::testing::TestWorld;
using nlohmann::json;

namespace {
// api (no work of its own) puts into t, which takes one write per second and answers after 5 ms.
json throttling_table(json call)
{
  call["target"] = "t";
  call["operation"] = "put";
  return {{"name", "table-test"},
          {"components",
           {{"api", {{"type", "service"}, {"concurrency", 10}, {"service_time_ms", 0}, {"calls", json::array({call})}}},
            {"t",
             {{"type", "table"},
              {"capacity_mode", "provisioned"},
              {"write_capacity_units", 1},
              {"burst_window_s", 0},
              {"latency_ms", {{"put", {{"dist", "constant"}, {"value", 5}}}}}}}}},
          {"run", {{"duration_s", 100}}}};
}

const json& figures_of(const archlab::Component& component, json& out)
{
  out = json::object();
  component.add_summary(out, 1);
  return out;
}
}  // namespace

TEST_CASE("table: a throttled call is retried by the caller's SDK, full jitter over 50 and 100 ms, then fails", "[table]")
{
  TestWorld test(throttling_table(json::object()));
  Probe probe(test.scheduler());
  test.start();
  probe.send(test.component("api"), 1);  // takes the one write unit
  probe.send(test.component("api"), 2);  // throttled at every attempt: the bucket refills 1 unit per s
  test.run_until(10);
  // The SDK's backoff draws come from the caller's stream: before retry k, random(0, 50 ms × 2^k).
  archlab::Rng sdk = test.world().rng("api/retry/calls[0]");
  double first_wait_s = sdk.uniform01() * 0.050;
  double second_wait_s = sdk.uniform01() * 0.100;
  REQUIRE(probe.answers.size() == 2);
  CHECK(probe.answers[0].tag == 1);
  CHECK(probe.answers[0].outcome == Outcome::ok);
  CHECK(probe.answers[0].at_s == Approx(0.005));
  CHECK(probe.answers[1].tag == 2);
  CHECK(probe.answers[1].outcome == Outcome::failed);  // the service fails a request whose call failed
  // three round trips of 5 ms, each answered rejected, and the two waits between them
  CHECK(probe.answers[1].at_s == Approx(3 * 0.005 + first_wait_s + second_wait_s).margin(1e-12));
  json table;
  figures_of(test.component("t"), table);
  CHECK(table["requests"] == 4);  // every attempt reaches the table: 1 + 3
  CHECK(table["throttled"] == 3);
  const auto& site = *test.component("api").call_sites().all().at(0);
  CHECK(site.counters().calls == 2);
  CHECK(site.counters().attempts == 4);
  CHECK(site.counters().retries == 2);
  CHECK(site.counters().rejected == 3);
  REQUIRE(site.policy().retry);
  CHECK(site.policy().retry->budget == archlab::RetryBudget::sdk_standard);
}

TEST_CASE("table: a call's own retry replaces the SDK's default", "[table]")
{
  TestWorld test(throttling_table({{"retry", {{"max_attempts", 2}, {"base_ms", 10}, {"jitter", "none"}}}}));
  Probe probe(test.scheduler());
  test.start();
  probe.send(test.component("api"), 1);
  probe.send(test.component("api"), 2);
  test.run_until(10);
  REQUIRE(probe.answers.size() == 2);
  CHECK(probe.answers[1].tag == 2);
  CHECK(probe.answers[1].outcome == Outcome::failed);
  CHECK(probe.answers[1].at_s == Approx(0.005 + 0.010 + 0.005));  // rejected, 10 ms, rejected: out of its 2 attempts
  CHECK(test.component("api").call_sites().all().at(0)->counters().attempts == 3);
}

TEST_CASE("table: sdk_max_attempts 1 leaves a throttle to the caller at once", "[table]")
{
  json model = throttling_table(json::object());
  model["components"]["t"]["sdk_max_attempts"] = 1;
  TestWorld test(model);
  Probe probe(test.scheduler());
  test.start();
  probe.send(test.component("api"), 1);
  probe.send(test.component("api"), 2);
  test.run_until(10);
  REQUIRE(probe.answers.size() == 2);
  CHECK(probe.answers[1].outcome == Outcome::failed);
  CHECK(probe.answers[1].at_s == Approx(0.005));
}

TEST_CASE("table: a scan reads the whole table page after page, a query one partition: the scan's time and units grow with the table",
          "[table]")
{
  auto constant_ms = [](double value) { return json{{"dist", "constant"}, {"value", value}}; };
  auto answered_s = [&](double items, const char* operation) {
    json table = {{"type", "table"}, {"item_count", items},
                  {"latency_ms", {{"scan", constant_ms(40)}, {"query", constant_ms(6)}}}};
    TestWorld test({{"name", "scan-test"}, {"components", {{"t", table}}}, {"run", {{"duration_s", 100}}}});
    Probe probe(test.scheduler());
    test.start();
    probe.send(test.component("t"), 1, archlab::Operation::named(operation));
    test.run_until(100);
    json out;
    REQUIRE(probe.answers.size() == 1);
    CHECK(probe.answers[0].outcome == Outcome::ok);
    return std::pair{probe.answers[0].at_s, figures_of(test.component("t"), out)["read_units_consumed"].get<double>()};
  };
  auto [small_s, small_units] = answered_s(5000, "scan");  // 5 pages of up to 1,024 items of 1 KB
  CHECK(small_s == Approx(0.2));
  CHECK(small_units == 4 * 128 + 113);
  auto [big_s, big_units] = answered_s(100000, "scan");  // 98 pages
  CHECK(big_s == Approx(98 * 0.04));
  CHECK(big_units == 97 * 128 + 84);
  auto [query_s, query_units] = answered_s(100000, "query");
  CHECK(query_s == Approx(0.006));
  CHECK(query_units == 0.5);
}
