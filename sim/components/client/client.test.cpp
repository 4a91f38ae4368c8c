// The client on the test scheduler: its requests go out through a call site under its own policy,
// and its figures stay end-to-end (from the first attempt to the final answer).
#include "sim/core/fault_plan.hpp"
#include "sim/testing/test_world.hpp"

#include <catch2/catch.hpp>

using archlab::testing::TestWorld;
using nlohmann::json;

namespace {
// One request, sent at 1 s, to a service that works `work_ms` per request. The client's latency
// histogram keeps successes only; when a failed request was answered is when the run ended (end_s).
json one_request(json client, double work_ms)
{
  client["type"] = "client";
  client["target"] = "api";
  client["arrivals"] = {{"process", "constant"}, {"rate_per_s", 1}};
  return {{"name", "client-test"},
          {"components",
           {{"users", client},
            {"api", {{"type", "service"}, {"concurrency", 10}, {"service_time_ms", {{"dist", "constant"}, {"value", work_ms}}}}}}},
          {"run", {{"requests", 1}}}};
}

// Every request counts: no warm-up (the simulation ends it; a test world has none).
void start_measured(TestWorld& test)
{
  test.world().control().warm_up_ends(0);
  test.start();
}

void fail_every_request(TestWorld& test)
{
  archlab::FaultEvent fault;
  fault.action = "fail";
  fault.target = "api";
  fault.failure_probability = 1;
  test.component("api").apply_fault(fault, test.world());
}

json summary_of(const archlab::Component& component)
{
  json out = json::object();
  component.add_summary(out, 10);
  return out;
}
}  // namespace

TEST_CASE("client: retries a failing service after 100 and 200 ms; its latency runs from the first attempt", "[client]")
{
  TestWorld test(one_request({{"retry", {{"max_attempts", 3}, {"base_ms", 100}, {"jitter", "none"}}}}, 10));
  fail_every_request(test);
  start_measured(test);
  test.run_until(10);
  // attempts at 1.00, 1.11 and 1.32 s, each failed 10 ms later; the client hears at 1.33 s
  const auto& users = test.component("users").stats();
  CHECK(users.counts().arrivals == 1);
  CHECK(users.counts().failed == 1);
  CHECK(test.world().control().end_s() == Approx(1.33));  // the run ends when the client hears its one request's answer
  CHECK(test.component("api").stats().counts().arrivals == 3);
  json calls = summary_of(test.component("users"))["calls"]["api"];
  CHECK(calls["calls"] == 1);
  CHECK(calls["attempts"] == 3);
  CHECK(calls["retries"] == 2);
  CHECK(calls["failed"] == 3);
}

TEST_CASE("client: a retry that succeeds is one request done, not a failure", "[client]")
{
  TestWorld test(one_request({{"retry", {{"max_attempts", 3}, {"base_ms", 100}, {"jitter", "none"}}}}, 10));
  fail_every_request(test);
  start_measured(test);
  test.run_until(1.05);  // the first attempt has failed; the service recovers before the retry at 1.11 s
  archlab::FaultEvent recover;
  recover.action = "fail";
  recover.target = "api";
  recover.failure_probability = 0;
  test.component("api").apply_fault(recover, test.world());
  test.run_until(10);
  const auto& users = test.component("users").stats();
  CHECK(users.counts().completed == 1);
  CHECK(users.counts().failed == 0);
  CHECK(users.latency().max() == Approx(0.12).epsilon(0.003));  // 1.00 → 1.12 s, within the histogram's 0.2 %
}

TEST_CASE("client: timeout_ms gives up on an attempt; with retry the next one goes after the backoff", "[client]")
{
  TestWorld test(one_request({{"timeout_ms", 300}, {"retry", {{"max_attempts", 2}, {"base_ms", 100}, {"jitter", "none"}}}}, 1000));
  start_measured(test);
  test.run_until(10);
  // attempt 1: 1.0 → given up at 1.3; 100 ms; attempt 2: 1.4 → given up at 1.7 (its answers at 2.0 and 2.4 are ignored)
  const auto& users = test.component("users").stats();
  CHECK(users.counts().failed == 1);
  CHECK(test.world().control().end_s() == Approx(1.7));
  json figures = summary_of(test.component("users"));
  CHECK(figures["timed_out"] == 1);  // requests given up, not attempts
  CHECK(figures["calls"]["api"]["timed_out"] == 2);
  CHECK(test.component("api").stats().counts().completed == 2);  // the service did the work all the same
}

TEST_CASE("client: timeout_ms alone means what it always did: one attempt, given up, counted as failed", "[client]")
{
  TestWorld test(one_request({{"timeout_ms", 300}}, 1000));
  start_measured(test);
  test.run_until(10);
  const auto& users = test.component("users").stats();
  CHECK(users.counts().failed == 1);
  CHECK(test.world().control().end_s() == Approx(1.3));
  json figures = summary_of(test.component("users"));
  CHECK(figures["timed_out"] == 1);
  CHECK_FALSE(figures.contains("calls"));  // one attempt per request: the client's own figures say it all
  CHECK(test.component("api").stats().counts().arrivals == 1);
}

TEST_CASE("client: a jobs client that does not poll sends its submit and nothing else", "[client]")
{
  // Without polls: false the client would ask for the unfinished job's status every 5 s.
  auto api_arrivals_by_30_s = [](json jobs) {
    json model = one_request({{"jobs", jobs}, {"mix", {{"submit", 1}}}}, 10);
    model["components"]["api"]["handlers"] = {{"submit", json::object()}, {"status", json::object()}};
    model["components"]["users"]["arrivals"]["schedule"] = {{{"at_s", 1.5}, {"rate_per_s", 0}}};
    model["run"] = {{"duration_s", 30}};  // polls are requests too: a request count would stop them
    TestWorld test(model);
    start_measured(test);
    test.run_until(30);
    return test.component("api").stats().counts().arrivals;
  };
  CHECK(api_arrivals_by_30_s({{"submit_kind", "submit"}}) == 7);  // the submit at 1 s, polls at 6, 11, ... 26 s
  CHECK(api_arrivals_by_30_s({{"submit_kind", "submit"}, {"polls", false}}) == 1);
}
