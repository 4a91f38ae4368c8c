// A function's cpu_ms on SimGrid's CPU model: each execution environment computes on a core of its
// own at the memory's share of a vCPU (AWS Lambda: 1,769 MB is one vCPU; docs/aws-facts.md, Lambda).
// Each TEST_CASE starts an engine, so each runs in a process of its own (ctest -R engine.).
#include "sim/core/fault_plan.hpp"
#include "sim/testing/simgrid_world.hpp"
#include "sim/testing/test_world.hpp"

#include <catch2/catch.hpp>

using archlab::FaultEvent;
using archlab::Outcome;
using archlab::testing::Probe;
using archlab::testing::SimgridWorld;
using nlohmann::json;

namespace {
json constant_ms(double value) { return {{"dist", "constant"}, {"value", value}}; }
// A CPU-bound handler: no init, no waiting, only `cpu_ms` of one vCPU's work.
json cpu_bound(double memory_mb, double cpu_ms, double timeout_s = 3)
{
  return {{"type", "function"}, {"memory_mb", memory_mb}, {"init_ms", 0}, {"work_ms", 0}, {"cpu_ms", constant_ms(cpu_ms)},
          {"timeout_s", timeout_s}};
}
json model(json components) { return {{"name", "function-cpu"}, {"components", std::move(components)}, {"run", {{"duration_s", 100}}}}; }
json summary_of(SimgridWorld& test, const std::string& id, double end_s)
{
  json summary;
  test.component(id).add_summary(summary, end_s);
  return summary;
}
}  // namespace

TEST_CASE("function cpu: 100 ms of CPU takes 100 ms at 1,769 MB (one vCPU) and about 200 ms at 885 MB", "[engine][function]")
{
  SimgridWorld test(model({{"full", cpu_bound(1769, 100)}, {"half", cpu_bound(885, 100)}}));
  Probe probe(test.scheduler());
  test.start();
  probe.send(test.component("full"), 1);
  probe.send(test.component("half"), 2);
  test.run_until(10);
  REQUIRE(probe.answers.size() == 2);
  CHECK(probe.answers[0].tag == 1);
  CHECK(probe.answers[0].at_s == Approx(0.1).margin(1e-9));
  CHECK(probe.answers[1].at_s == Approx(0.1 * 1769 / 885).margin(1e-9));  // 0.19989 s
}

TEST_CASE("function cpu: environments do not share a core: 10 invocations at once each take their cpu_ms alone", "[engine][function]")
{
  SimgridWorld test(model({{"fn", cpu_bound(1769, 100)}}));
  Probe probe(test.scheduler());
  test.start();
  for (std::uint64_t tag = 1; tag <= 10; ++tag)
    probe.send(test.component("fn"), tag);
  test.run_until(10);
  REQUIRE(probe.answers.size() == 10);
  for (const auto& answer : probe.answers)
    CHECK(answer.at_s == Approx(0.1).margin(1e-9));
  CHECK(summary_of(test, "fn", 10)["concurrency"]["max"] == 10);
}

// The memory/duration/cost trade-off, for a single-threaded CPU-bound handler: below 1,769 MB the
// GB-s stay the same (half the memory, twice the time), above it the time stays and the GB-s grow.
TEST_CASE("function cpu: GB-s per invocation are flat up to 1,769 MB and grow with memory above it", "[engine][function]")
{
  SimgridWorld test(model({{"small", cpu_bound(442, 1000, 10)}, {"one_vcpu", cpu_bound(1769, 1000)}, {"large", cpu_bound(3538, 1000)}}));
  Probe probe(test.scheduler());
  test.start();
  probe.send(test.component("small"), 1);
  probe.send(test.component("one_vcpu"), 2);
  probe.send(test.component("large"), 3);
  test.run_until(10);
  REQUIRE(probe.answers.size() == 3);
  std::map<std::uint64_t, double> took_s;
  for (const auto& answer : probe.answers)
    took_s[answer.tag] = answer.at_s;
  CHECK(took_s[1] == Approx(1769.0 / 442).margin(1e-6));  // 4.002 s
  CHECK(took_s[2] == Approx(1.0).margin(1e-9));
  CHECK(took_s[3] == Approx(1.0).margin(1e-9));           // one thread: the second vCPU is idle
  double small_gb_s = summary_of(test, "small", 10)["gb_s"].get<double>();
  double one_vcpu_gb_s = summary_of(test, "one_vcpu", 10)["gb_s"].get<double>();
  double large_gb_s = summary_of(test, "large", 10)["gb_s"].get<double>();
  CHECK(small_gb_s == Approx(4.003 * 442 / 1024));  // billed per started ms
  CHECK(one_vcpu_gb_s == Approx(1769.0 / 1024));
  CHECK(small_gb_s == Approx(one_vcpu_gb_s).epsilon(0.001));
  CHECK(large_gb_s == Approx(2 * one_vcpu_gb_s));
}

// Lambda: a timeout stops the invocation and resets its environment. The stopped work still runs to
// its end on its core in SimGrid (Compute::cancel), so the next environment must not share that core.
TEST_CASE("function cpu: after a timeout mid-CPU the next invocation computes at full speed", "[engine][function]")
{
  SimgridWorld test(model({{"fn", cpu_bound(1769, 100, 0.3)}}));
  Probe probe(test.scheduler());
  test.start();
  FaultEvent slow{};
  slow.action = "slow";
  slow.target = "fn";
  slow.latency_factor = 4;  // the first run needs 0.4 s of CPU: timed out at 0.3 s
  test.component("fn").apply_fault(slow, test.world());
  probe.send(test.component("fn"), 1);
  test.scheduler().at(0.35, [&] {
    FaultEvent recover = slow;  // the same target
    recover.action = "recover";
    test.component("fn").apply_fault(recover, test.world());
    probe.send(test.component("fn"), 2);  // a new environment in the reset one's slot: 0.1 s of CPU
  });
  test.run_until(10);
  REQUIRE(probe.answers.size() == 2);
  CHECK(probe.answers[0].outcome == Outcome::failed);
  CHECK(probe.answers[0].at_s == Approx(0.3));
  CHECK(probe.answers[1].outcome == Outcome::ok);
  // Sharing the core with the stopped run's last 0.05 s of work, it would end at 0.5 s.
  CHECK(probe.answers[1].at_s == Approx(0.45).margin(1e-9));
  CHECK(summary_of(test, "fn", 10)["timed_out"] == 1);
  CHECK(summary_of(test, "fn", 10)["cold_starts"] == 2);
}
