// CPU work shares an instance's vCPUs: SimGrid executions started from the scheduler, who finished
// when. Each TEST_CASE starts an engine, so each runs in a process of its own (ctest -R engine.).
#include "sim/testing/simgrid_world.hpp"
#include "sim/testing/test_world.hpp"

#include <catch2/catch.hpp>

using archlab::Outcome;
using archlab::Request;
using archlab::testing::Probe;
using archlab::testing::SimgridWorld;
using nlohmann::json;

namespace {
json one_service(json service, double duration_s = 1000)
{
  service["type"] = "service";
  return {{"name", "cpu-test"}, {"components", {{"server", service}}}, {"run", {{"duration_s", duration_s}}}};
}
json constant_ms(double value) { return {{"dist", "constant"}, {"value", value}}; }

std::vector<double> answer_times(const Probe& probe)
{
  std::vector<double> times;
  for (const auto& answer : probe.answers)
    times.push_back(answer.at_s);
  return times;
}

// `loops` callers, each sending its next request the moment the last is answered (a worker loop).
class Loops final : public archlab::Caller {
public:
  Loops(archlab::Scheduler& scheduler, archlab::Endpoint& target, int loops) : scheduler_(scheduler), target_(target), done(loops, 0)
  {
    requests_.resize(loops);
    for (int loop = 0; loop < loops; ++loop)
      send(loop);
  }
  void on_answer(const archlab::Call& call, const archlab::Answer& answer) override
  {
    if (answer.outcome == Outcome::ok)
      ++done[call.tag];
    send(call.tag);
  }
  std::vector<int> done;

private:
  void send(std::uint64_t loop) { target_.accept(archlab::Call{&requests_[loop], this, loop}); }
  archlab::Scheduler& scheduler_;
  archlab::Endpoint& target_;
  std::vector<Request> requests_;
};
}  // namespace

TEST_CASE("cpu: one vCPU's work alone takes its cpu_ms; two jobs on a 2-vCPU t3.micro run side by side", "[engine][cpu]")
{
  SimgridWorld test(one_service({{"concurrency", 2}, {"cpu_ms", constant_ms(100)}, {"service_time_ms", constant_ms(0)}}));
  Probe probe(test.scheduler());
  test.start();
  probe.send(test.component("server"), 1);
  probe.send(test.component("server"), 2);
  test.run_until(10);
  CHECK_THAT(answer_times(probe), Catch::Matchers::Approx(std::vector<double>{0.1, 0.1}).margin(1e-6));
}

TEST_CASE("cpu: two CPU-bound jobs per vCPU each take twice as long (four on a 2-vCPU t3.micro)", "[engine][cpu]")
{
  SimgridWorld test(one_service({{"concurrency", 4}, {"cpu_ms", constant_ms(100)}, {"service_time_ms", constant_ms(0)}}));
  Probe probe(test.scheduler());
  test.start();
  for (std::uint64_t tag = 1; tag <= 4; ++tag)
    probe.send(test.component("server"), tag);
  test.run_until(10);
  CHECK_THAT(answer_times(probe), Catch::Matchers::Approx(std::vector<double>{0.2, 0.2, 0.2, 0.2}).margin(1e-6));
  // Simultaneous completions come back in the order the work started (SimGrid's own is the reverse).
  for (std::size_t i = 0; i < probe.answers.size(); ++i)
    CHECK(probe.answers[i].tag == i + 1);
}

TEST_CASE("cpu: three jobs on two vCPUs share them fairly, and one arriving later is slowed only while they overlap", "[engine][cpu]")
{
  SimgridWorld test(one_service({{"concurrency", 8}, {"cpu_ms", constant_ms(100)}, {"service_time_ms", constant_ms(0)}}));
  Probe probe(test.scheduler());
  test.start();
  for (std::uint64_t tag = 1; tag <= 3; ++tag)
    probe.send(test.component("server"), tag);
  // Three at 2/3 of a vCPU each: 100 ms of work in 150 ms.
  test.run_until(1);
  CHECK_THAT(answer_times(probe), Catch::Matchers::Approx(std::vector<double>{0.15, 0.15, 0.15}).margin(1e-6));
  // Alone again: 3 at 1.0 s, then a fourth at 1.05 s: both at full speed (two vCPUs, two jobs).
  test.scheduler().at(1.0, [&] { probe.send(test.component("server"), 4); });
  test.scheduler().at(1.05, [&] { probe.send(test.component("server"), 5); });
  test.run_until(2);
  REQUIRE(probe.answers.size() == 5);
  CHECK(probe.answers[3].at_s == Approx(1.1).margin(1e-6));
  CHECK(probe.answers[4].at_s == Approx(1.15).margin(1e-6));
}

TEST_CASE("cpu: four loops on two vCPUs each run at half the rate of two loops", "[engine][cpu]")
{
  auto rate_per_loop = [](int loops) {
    SimgridWorld test(one_service({{"concurrency", loops}, {"cpu_ms", constant_ms(100)}, {"service_time_ms", constant_ms(0)}}));
    test.start();
    Loops running(test.scheduler(), test.component("server"), loops);
    test.run_until(10);
    return running.done;
  };
  // One engine per process: this case measures four loops, and holds them to two loops' known rate
  // (10 jobs/s each: one vCPU each, 100 ms a job), which the first test case measures.
  auto done = rate_per_loop(4);
  for (int count : done)
    CHECK(count == Approx(50).margin(1));  // 10 s at 5 jobs/s
}

namespace {
// Offered 40 requests/s (one every 25 ms) for 400 s, cpu_ms exponential with mean 100 ms on a 2-vCPU
// t3.micro: the answers between 20 s and 400 s, per second (about 7,600 of them: ±1.2% by chance).
double saturated_rate_per_s(int concurrency)
{
  SimgridWorld test(one_service({{"concurrency", concurrency},
                                 {"cpu_ms", {{"dist", "exponential"}, {"mean", 100}}},
                                 {"service_time_ms", constant_ms(0)}}));
  Probe probe(test.scheduler());
  test.start();
  for (int i = 0; i < 16000; ++i)
    test.scheduler().at(i * 0.025, [&probe, &test, i] { probe.send(test.component("server"), static_cast<std::uint64_t>(i)); });
  test.run_until(400);
  int answered = 0;
  for (const auto& answer : probe.answers)
    answered += answer.at_s >= 20 && answer.outcome == Outcome::ok;
  return answered / 380.0;
}
}  // namespace

// One engine per process: one concurrency per test case.
TEST_CASE("cpu: cpu_ms mean 100 on 2 vCPUs, concurrency 1: one worker, one vCPU, 10 requests/s", "[engine][cpu]")
{
  CHECK(saturated_rate_per_s(1) == Approx(10).epsilon(0.03));
}
TEST_CASE("cpu: cpu_ms mean 100 on 2 vCPUs saturates at 20 requests/s, concurrency 2", "[engine][cpu]")
{
  CHECK(saturated_rate_per_s(2) == Approx(20).epsilon(0.03));
}
TEST_CASE("cpu: cpu_ms mean 100 on 2 vCPUs saturates at 20 requests/s, concurrency 4", "[engine][cpu]")
{
  CHECK(saturated_rate_per_s(4) == Approx(20).epsilon(0.03));
}
TEST_CASE("cpu: cpu_ms mean 100 on 2 vCPUs saturates at 20 requests/s, concurrency 16", "[engine][cpu]")
{
  CHECK(saturated_rate_per_s(16) == Approx(20).epsilon(0.03));
}
