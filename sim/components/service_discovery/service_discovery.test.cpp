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

// `per_s` calls a second from 0 to `to_s`, tagged 1, 2, ...; returns {ok, failed} among them.
struct Tally {
  int ok = 0;
  int failed = 0;
};
double sent_at(std::uint64_t tag, int per_s) { return static_cast<double>(tag) / per_s; }
Tally call_at_rate(TestWorld& test, Probe& probe, int per_s, int to_s, double run_to_s)
{
  probe.prototype.is_measured = true;  // the discovery's figures count measured calls only
  for (std::uint64_t tag = 1; sent_at(tag, per_s) <= to_s; ++tag)
    test.scheduler().at(sent_at(tag, per_s), [&test, &probe, tag] { probe.send(test.component("process_dns"), tag); });
  test.run_until(run_to_s);
  Tally tally;
  for (const auto& heard : probe.answers)
    (heard.outcome == Outcome::ok ? tally.ok : tally.failed) += 1;
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
  // ten callers' caches, each refreshed every 60 s on its own schedule
  TestWorld test(two_tasks_by_name({{"ttl_s", 60}, {"connect_timeout_ms", 2000}, {"caches_per_caller", 10}}));
  Probe probe(test.scheduler());
  test.start();
  kill_first_task_at(test, 5);
  auto tally = call_at_rate(test, probe, 10, 150, 200);
  auto discovery = summary_of(test, "process_dns");
  CHECK(discovery["deregistrations"] == 1);
  CHECK(discovery["registrations"] == 1);  // the replacement
  CHECK(discovery["registered_tasks"] == 2);
  CHECK(discovery["lookups"].get<int>() >= 30);  // each cache at least at 0 s, 60 s and 120 s of its own schedule
  CHECK(discovery["lookups"].get<int>() <= 40);
  CHECK(tally.failed > 0);
  CHECK(tally.failed == discovery["failed_stale"].get<int>());
  for (const auto& heard : probe.answers) {
    if (heard.outcome == Outcome::ok)
      continue;
    double sent_s = sent_at(heard.tag, 10);
    CHECK(sent_s >= 5);   // only after the task stopped,
    CHECK(sent_s < 65);   // and only until each cache's next answer, within one TTL of it
    CHECK(heard.at_s == Approx(sent_s + 2.0));  // answered once the connect timeout ran out
  }
}

TEST_CASE("service discovery: a short TTL ends stale calls sooner; a client cache outlives the TTL", "[service_discovery]")
{
  auto failed_with = [](json discovery) {
    discovery["connect_timeout_ms"] = 2000;
    discovery["caches_per_caller"] = 10;
    TestWorld test(two_tasks_by_name(discovery));
    Probe probe(test.scheduler());
    test.start();
    kill_first_task_at(test, 5);
    return call_at_rate(test, probe, 10, 150, 200).failed;
  };
  int at_60 = failed_with({{"ttl_s", 60}});
  int at_5 = failed_with({{"ttl_s", 5}});
  int curl_cache = failed_with({{"ttl_s", 5}, {"client_cache_s", 60}});
  // Stale for half a lifetime on average, on half the calls: about 150 at 60 s, 12 at 5 s.
  CHECK(at_5 <= 30);
  CHECK(at_60 > 5 * std::max(at_5, 1));
  CHECK(curl_cache > 5 * std::max(at_5, 1));
}

TEST_CASE("service discovery: a client that tries the next address gets through, one connect timeout later", "[service_discovery]")
{
  TestWorld test(two_tasks_by_name({{"ttl_s", 60}, {"connect_timeout_ms", 1000}, {"try_next_address", true}}));
  Probe probe(test.scheduler());
  test.start();
  kill_first_task_at(test, 5);
  auto tally = call_at_rate(test, probe, 10, 150, 200);
  CHECK(tally.failed == 0);
  CHECK(tally.ok == 1500);
  auto discovery = summary_of(test, "process_dns");
  CHECK(discovery["stale_connects"].get<int>() > 0);
  int delayed = 0;
  for (const auto& heard : probe.answers)
    delayed += heard.at_s > sent_at(heard.tag, 10) + 0.5;
  CHECK(delayed == discovery["stale_connects"].get<int>());  // each waited one connect timeout
}

TEST_CASE("service discovery: a name with no task registered answers at once, and fails", "[service_discovery]")
{
  json model = two_tasks_by_name({{"ttl_s", 0}});
  model["components"]["process"]["scaling"] = {{"min", 0}, {"max", 2}, {"launch_time_s", 10}};
  TestWorld test(model);
  Probe probe(test.scheduler());
  test.start();
  auto tally = call_at_rate(test, probe, 1, 3, 10);
  CHECK(tally.failed == 3);
  for (const auto& heard : probe.answers)
    CHECK(heard.at_s == Approx(sent_at(heard.tag, 1)));
  CHECK(summary_of(test, "process_dns")["empty_answers"] == 3);
}
