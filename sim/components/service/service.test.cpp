// The service on the test scheduler: who finished when.
#include "sim/core/fault_plan.hpp"
#include "sim/testing/test_world.hpp"

#include <catch2/catch.hpp>

using archlab::Outcome;
using archlab::testing::Probe;
using archlab::testing::TestWorld;
using nlohmann::json;

namespace {
json one_service(json service)
{
  service["type"] = "service";
  return {{"name", "service-test"},
          {"components", {{"server", service}}},
          {"run", {{"duration_s", 100}}}};
}
std::vector<double> answer_times(const Probe& probe)
{
  std::vector<double> times;
  for (const auto& answer : probe.answers)
    times.push_back(answer.at_s);
  return times;
}
}  // namespace

TEST_CASE("service: one worker serves three requests sent together one after another, in arrival order", "[service]")
{
  TestWorld test(one_service({{"concurrency", 1}, {"service_time_ms", {{"dist", "constant"}, {"value", 100}}}}));
  Probe probe(test.scheduler());
  test.start();
  for (std::uint64_t tag = 1; tag <= 3; ++tag)
    probe.send(test.component("server"), tag);
  test.run_until(10);
  REQUIRE(probe.answers.size() == 3);
  CHECK(probe.answers[0].tag == 1);
  CHECK(probe.answers[1].tag == 2);
  CHECK(probe.answers[2].tag == 3);
  CHECK_THAT(answer_times(probe), Catch::Matchers::Approx(std::vector<double>{0.1, 0.2, 0.3}).margin(1e-9));
  for (const auto& answer : probe.answers)
    CHECK(answer.outcome == Outcome::ok);
}

TEST_CASE("service: two workers finish two requests at once, the third waits for the first free one", "[service]")
{
  TestWorld test(one_service({{"concurrency", 2}, {"service_time_ms", {{"dist", "constant"}, {"value", 100}}}}));
  Probe probe(test.scheduler());
  test.start();
  for (std::uint64_t tag = 1; tag <= 3; ++tag)
    probe.send(test.component("server"), tag);
  test.run_until(10);
  CHECK_THAT(answer_times(probe), Catch::Matchers::Approx(std::vector<double>{0.1, 0.1, 0.2}).margin(1e-9));
  CHECK(probe.answers[2].tag == 3);
}

TEST_CASE("service: a full waiting line rejects at once, and only the arrival that found it full", "[service]")
{
  TestWorld test(one_service({{"concurrency", 1}, {"queue_capacity", 1}, {"service_time_ms", {{"dist", "constant"}, {"value", 100}}}}));
  Probe probe(test.scheduler());
  test.start();
  for (std::uint64_t tag = 1; tag <= 3; ++tag)
    probe.send(test.component("server"), tag);
  test.run_until(10);
  REQUIRE(probe.answers.size() == 3);
  CHECK(probe.answers[0].tag == 3);  // rejected at time 0, before anything finished
  CHECK(probe.answers[0].outcome == Outcome::rejected);
  CHECK(probe.answers[0].at_s == 0);
  CHECK(probe.answers[1].tag == 1);
  CHECK(probe.answers[2].tag == 2);
  CHECK(probe.answers[2].at_s == Approx(0.2));
}

TEST_CASE("service: calls run after the work, in order, and the answer waits for the last", "[service]")
{
  json model = one_service({{"concurrency", 1},
                            {"service_time_ms", {{"dist", "constant"}, {"value", 10}}},
                            {"calls", json::array({{{"target", "db"}}})}});
  model["components"]["db"] = {{"type", "service"}, {"concurrency", 4}, {"service_time_ms", {{"dist", "constant"}, {"value", 50}}}};
  TestWorld test(model);
  Probe probe(test.scheduler());
  test.start();
  probe.send(test.component("server"), 1);
  probe.send(test.component("server"), 2);
  test.run_until(10);
  // 1: work 0–0.01, db 0.01–0.06; the worker is held while it waits, so 2 starts at 0.06.
  CHECK_THAT(answer_times(probe), Catch::Matchers::Approx(std::vector<double>{0.06, 0.12}).margin(1e-9));
}

TEST_CASE("service: the instances signal counts instances in service, and a zone outage takes its share", "[service]")
{
  TestWorld test(one_service({{"instances", 4}, {"zones", {"a", "b"}}, {"service_time_ms", {{"dist", "constant"}, {"value", 10}}}}));
  test.start();
  CHECK(test.component("server").signal("instances") == 4.0);
  archlab::FaultEvent outage{.action = "zone_outage", .zone = "b"};
  test.component("server").apply_fault(outage, test.world());
  CHECK(test.component("server").signal("instances") == 2.0);
  archlab::FaultEvent back{.action = "recover", .zone = "b"};
  test.component("server").apply_fault(back, test.world());
  CHECK(test.component("server").signal("instances") == 4.0);
}
