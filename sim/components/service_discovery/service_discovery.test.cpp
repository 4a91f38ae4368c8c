// Service discovery on the test scheduler: who is answered when, through a cached DNS answer that a
// task replacement has made stale.
#include "sim/core/fault_plan.hpp"
#include "sim/testing/test_world.hpp"

#include <catch2/catch.hpp>

using archlab::Outcome;
using archlab::testing::Probe;
using archlab::testing::TestWorld;
using nlohmann::json;

namespace {
// Two tasks of `process` under the name `process_dns`; a task killed at 5 s is replaced by its
// group (launched 10 s later, at a new address).
json two_tasks_by_name(json discovery)
{
  discovery["type"] = "service_discovery";
  discovery["targets"] = {"process"};
  json process = {{"type", "service"}, {"concurrency", 10}, {"service_time_ms", 1},
                  {"scaling", {{"min", 2}, {"max", 2}, {"launch_time_s", 10}}}};
  return {{"name", "discovery-test"}, {"components", {{"process_dns", discovery}, {"process", process}}}, {"run", {{"duration_s", 200}}}};
}

void kill_first_task_at(TestWorld& test, double at_s)
{
  archlab::FaultEvent kill;
  kill.action = "kill";
  kill.target = "process";
  kill.instance = 0;
  test.scheduler().at(at_s, [&test, kill] { test.component("process").apply_fault(kill, test.world()); });
}

// Calls one a second from `from_s` to `to_s`; returns {ok, failed} among them and the latest answer.
struct Tally {
  int ok = 0;
  int failed = 0;
  double last_answer_s = 0;
};
Tally call_every_second(TestWorld& test, Probe& probe, int from_s, int to_s, double run_to_s)
{
  probe.prototype.is_measured = true;  // the discovery's figures count measured calls only
  for (int t = from_s; t <= to_s; ++t)
    test.scheduler().at(t + 0.5, [&test, &probe, t] { probe.send(test.component("process_dns"), static_cast<std::uint64_t>(t)); });
  test.run_until(run_to_s);
  Tally tally;
  for (const auto& heard : probe.answers) {
    (heard.outcome == Outcome::ok ? tally.ok : tally.failed) += 1;
    tally.last_answer_s = std::max(tally.last_answer_s, heard.at_s);
  }
  return tally;
}

json summary_of(TestWorld& test, const std::string& id)
{
  json summary;
  test.component(id).add_summary(summary, 200);
  return summary;
}
}  // namespace

TEST_CASE("conformance (ECS service discovery: a stopped task leaves the name at once, but answers cached before keep its address for the TTL)",
          "[service_discovery][conformance]")
{
  TestWorld test(two_tasks_by_name({{"ttl_s", 60}, {"connect_timeout_ms", 2000}}));
  Probe probe(test.scheduler());
  test.start();
  kill_first_task_at(test, 5);
  auto tally = call_every_second(test, probe, 0, 150, 200);
  auto discovery = summary_of(test, "process_dns");
  CHECK(discovery["deregistrations"] == 1);
  CHECK(discovery["registrations"] == 1);  // the replacement
  CHECK(discovery["registered_tasks"] == 2);
  CHECK(discovery["lookups"] == 3);        // at 0.5 s, 60.5 s and 120.5 s
  // Between the kill and the answer's expiry at 60.5 s, about half the calls went to the dead address:
  CHECK(discovery["failed_stale"].get<int>() > 10);
  CHECK(discovery["failed_stale"].get<int>() < 45);
  CHECK(tally.failed == discovery["failed_stale"].get<int>());
  // and none after: every answer from 60.5 s on names live tasks only.
  for (const auto& heard : probe.answers)
    if (heard.tag >= 61)
      CHECK(heard.outcome == Outcome::ok);
  // A stale call fails only once its connect timeout has run out.
  for (const auto& heard : probe.answers)
    if (heard.outcome != Outcome::ok)
      CHECK(heard.at_s == Approx(static_cast<double>(heard.tag) + 0.5 + 2.0));
}

TEST_CASE("service discovery: a short TTL ends stale calls sooner; a client cache outlives the TTL", "[service_discovery]")
{
  auto failed_with = [](json discovery) {
    discovery["connect_timeout_ms"] = 2000;
    TestWorld test(two_tasks_by_name(discovery));
    Probe probe(test.scheduler());
    test.start();
    kill_first_task_at(test, 5);
    return call_every_second(test, probe, 0, 150, 200).failed;
  };
  int at_60 = failed_with({{"ttl_s", 60}});
  int at_5 = failed_with({{"ttl_s", 5}});
  int curl_cache = failed_with({{"ttl_s", 5}, {"client_cache_s", 60}});
  CHECK(at_5 <= 3);  // at most the calls of one 5 s answer
  CHECK(at_60 > 5 * std::max(at_5, 1));
  CHECK(curl_cache > 5 * std::max(at_5, 1));
}

TEST_CASE("service discovery: a client that tries the next address gets through, one connect timeout later", "[service_discovery]")
{
  TestWorld test(two_tasks_by_name({{"ttl_s", 60}, {"connect_timeout_ms", 1000}, {"try_next_address", true}}));
  Probe probe(test.scheduler());
  test.start();
  kill_first_task_at(test, 5);
  auto tally = call_every_second(test, probe, 0, 150, 200);
  CHECK(tally.failed == 0);
  CHECK(tally.ok == 151);
  auto discovery = summary_of(test, "process_dns");
  CHECK(discovery["stale_connects"].get<int>() > 10);
  int delayed = 0;
  for (const auto& heard : probe.answers)
    delayed += heard.at_s > static_cast<double>(heard.tag) + 0.5 + 0.5;
  CHECK(delayed == discovery["stale_connects"].get<int>());  // each waited one connect timeout
}

TEST_CASE("service discovery: a name with no task registered answers at once, and fails", "[service_discovery]")
{
  json model = two_tasks_by_name({{"ttl_s", 0}});
  model["components"]["process"]["scaling"] = {{"min", 0}, {"max", 2}, {"launch_time_s", 10}};
  TestWorld test(model);
  Probe probe(test.scheduler());
  test.start();
  auto tally = call_every_second(test, probe, 0, 2, 10);
  CHECK(tally.failed == 3);
  for (const auto& heard : probe.answers)
    CHECK(heard.at_s == Approx(static_cast<double>(heard.tag) + 0.5));
  CHECK(summary_of(test, "process_dns")["empty_answers"] == 3);
}
