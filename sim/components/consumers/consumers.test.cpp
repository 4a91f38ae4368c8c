// Consumers on the test scheduler: a killed instance and the group that replaces it, seen from
// the message it leaves waiting in the queue.
#include "sim/core/fault_plan.hpp"
#include "sim/testing/test_world.hpp"

#include <catch2/catch.hpp>

namespace archlab::testing {

using nlohmann::json;

namespace {
// One worker loop on one instance: a 20 s long poll, 1 s of work, then DeleteMessage.
json workers_model(bool has_group)
{
  json workers = {{"type", "consumers"},
                  {"queue", "jobs"},
                  {"wait_time_s", 20},
                  {"steps", json::array({{{"name", "run"}, {"work_ms", {{"dist", "constant"}, {"value", 1000}}}},
                                         {{"name", "delete"}, {"deletes_message", true}}})}};
  if (has_group)
    workers["scaling"] = {{"min", 1}, {"max", 1}, {"launch_time_s", 30}, {"policies", json::array()}};
  // A service in front sends each request it gets to the queue at once (SendMessage).
  json api = {{"type", "service"},
              {"service_time_ms", {{"dist", "constant"}, {"value", 0}}},
              {"calls", json::array({{{"target", "jobs"}, {"operation", "send"}}})}};
  return {{"name", "consumers-test"},
          {"components",
           {{"api", api}, {"jobs", {{"type", "queue"}, {"api_latency_ms", {{"dist", "constant"}, {"value", 5}}}}}, {"workers", workers}}},
          {"run", {{"duration_s", 1000}}}};
}

struct Run {
  std::vector<std::pair<double, std::uint64_t>> completed;  // (time, messages the workers finished by then)
};

// Kills instance 0 at 100 s, sends one message at 115 s (after the dead worker's last long poll has
// ended, so no poll of it takes the message), and reads the workers' finished count now and then.
Run kill_then_send(TestWorld& test)
{
  Probe probe(test.scheduler());
  FaultEvent kill;
  kill.action = "kill";
  kill.target = "workers";
  kill.instance = 0;
  test.start();
  test.scheduler().at(100, [&] { test.component("workers").apply_fault(kill, test.world()); });
  test.scheduler().at(115, [&] { probe.send(test.component("api"), 1); });
  Run run;
  for (double at_s : {129.9, 130.5, 131.1, 200.0})
    test.scheduler().at(at_s, [&run, &test, at_s] { run.completed.push_back({at_s, test.component("workers").stats().counts().completed}); });
  test.run_until(201);
  return run;
}
}  // namespace

TEST_CASE("consumers: the group replaces a killed instance, whose worker takes the waiting message once InService", "[consumers]")
{
  // EC2 Auto Scaling health checks: an instance that stops running is terminated and replaced
  // (desired capacity unchanged); the replacement is InService after its launch time, 100 + 30 s.
  TestWorld test(workers_model(true));
  auto run = kill_then_send(test);
  // The message is in the queue from 115; nobody polls from 100 to 130. The replacement's first
  // poll gets it at 130.005, its work ends at 131.005 and DeleteMessage is answered at 131.010.
  std::vector<std::pair<double, std::uint64_t>> expected = {{129.9, 0}, {130.5, 0}, {131.1, 1}, {200.0, 1}};
  CHECK(run.completed == expected);
  json summary;
  test.component("workers").add_summary(summary, 201);
  CHECK(summary["scaling"]["replaced"] == 1);
  CHECK(summary["scaling"]["launched"] == 1);
  CHECK(summary["instances"]["at_end"] == 1);
}

TEST_CASE("consumers: without a group a killed instance stays down and the message waits", "[consumers]")
{
  TestWorld test(workers_model(false));
  auto run = kill_then_send(test);
  CHECK(run.completed.back() == std::pair<double, std::uint64_t>{200.0, 0});
  CHECK(test.component("jobs").signal("visible_messages") == 1.0);
}

}  // namespace archlab::testing
