// The group's cpu_utilization from SimGrid's CPU model where a service has CPU work: 8 workers on a
// 2-vCPU t3.micro, each request holding its worker for 100 ms of CPU and 600 ms of waiting, 10 per
// second: 1 vCPU busy of 2 (50%), while 7 of 8 workers are busy (the figure without CPU work).
// Each TEST_CASE starts an engine, so each runs in a process of its own (ctest -R engine.).
#include "sim/testing/simgrid_world.hpp"
#include "sim/testing/test_world.hpp"

#include <catch2/catch.hpp>

#include <cstdio>
#include <regex>

using archlab::testing::SimgridWorld;
using archlab::testing::TestWorld;
using nlohmann::json;

namespace {
json constant_ms(double value) { return {{"dist", "constant"}, {"value", value}}; }

// An alarm that breaches on any reading, so the group logs the first period's figure and scales out once.
json web(json handler)
{
  json scaling = {{"min", 1}, {"max", 2}, {"desired", 1}, {"launch_time_s", 60}, {"metric_period_s", 60},
                  {"policies", json::array({{{"type", "simple"}, {"signal", "cpu_utilization"}, {"comparison", ">"}, {"threshold", 0},
                                             {"evaluation_periods", 1}, {"change", 1}, {"cooldown_s", 3600}}})}};
  handler["type"] = "service";
  handler["instance_type"] = "t3.micro";
  handler["concurrency"] = 8;
  handler["scaling"] = scaling;
  json users = {{"type", "client"}, {"target", "web"}, {"arrivals", {{"process", "constant"}, {"rate_per_s", 10}}}};
  return {{"name", "cpu-readings"}, {"components", {{"users", users}, {"web", handler}}}, {"run", {{"duration_s", 200}}}};
}

// Workers polling a queue fed at 10 messages/s: 4 loops on a t3.micro, each message 100 ms of CPU
// and 200 ms of waiting: 1 vCPU busy of 2, 3 of 4 loops busy.
json workers(json step)
{
  json scaling = {{"min", 1}, {"max", 2}, {"desired", 1}, {"launch_time_s", 60}, {"metric_period_s", 60},
                  {"policies", json::array({{{"type", "simple"}, {"signal", "cpu_utilization"}, {"comparison", ">"}, {"threshold", 0},
                                             {"evaluation_periods", 1}, {"change", 1}, {"cooldown_s", 3600}}})}};
  step["name"] = "run";
  json consumers = {{"type", "consumers"}, {"queue", "jobs"}, {"workers_per_instance", 4}, {"instance_type", "t3.micro"},
                    {"steps", json::array({step, {{"name", "delete"}, {"deletes_message", true}}})}, {"scaling", scaling}};
  json api = {{"type", "service"}, {"service_time_ms", constant_ms(0)}, {"calls", json::array({{{"target", "jobs"}, {"operation", "send"}}})}};
  json users = {{"type", "client"}, {"target", "api"}, {"arrivals", {{"process", "constant"}, {"rate_per_s", 10}}}};
  return {{"name", "cpu-readings"},
          {"components", {{"users", users}, {"api", api}, {"jobs", {{"type", "queue"}}}, {"workers", consumers}}},
          {"run", {{"duration_s", 200}}}};
}

// The figure of the first alarm: "... latest 50.0 on 1 instances". The log is streamed to a file, as
// a run's events.log is: a busy queue's lines would fill the lines kept in memory first.
class AlarmLog {
public:
  explicit AlarmLog(archlab::World& world) : file_(std::tmpfile()) { world.log().stream_to(file_); }
  ~AlarmLog() { std::fclose(file_); }
  double first_reading()
  {
    std::fflush(file_);
    std::rewind(file_);
    static const std::regex latest("latest ([0-9.]+)");
    char line[1024];
    while (std::fgets(line, sizeof line, file_)) {
      std::cmatch match;
      if (std::regex_search(line, match, latest))
        return std::stod(match[1]);
    }
    FAIL("no alarm in the log");
    return -1;
  }

private:
  std::FILE* file_;
};
}  // namespace

TEST_CASE("cpu readings: 8 workers with cpu_ms on a 2-vCPU t3.micro at half its CPU read about 50%, not their busy share", "[engine][instances]")
{
  SimgridWorld test(web({{"cpu_ms", constant_ms(100)}, {"service_time_ms", constant_ms(600)}}));
  AlarmLog log(test.world());
  test.start();
  test.run_until(121);  // the first full period ends at 120 s
  CHECK(log.first_reading() == Approx(50).margin(1));
}

TEST_CASE("cpu readings: without cpu_ms the same load reads the busy share of the workers (7 of 8)", "[engine][instances]")
{
  TestWorld test(web({{"service_time_ms", constant_ms(700)}}));
  AlarmLog log(test.world());
  test.start();
  test.run_until(121);  // the first full period ends at 120 s
  CHECK(log.first_reading() == Approx(87.5).margin(1));
}

TEST_CASE("cpu readings: consumers with cpu_ms read their instance's CPU (50%), not their busy loops (75%)", "[engine][instances]")
{
  SimgridWorld test(workers({{"cpu_ms", constant_ms(100)}, {"work_ms", constant_ms(200)}}));
  AlarmLog log(test.world());
  test.start();
  test.run_until(121);
  CHECK(log.first_reading() == Approx(50).margin(1));
}
