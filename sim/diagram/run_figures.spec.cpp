#include "sim/core/problems.hpp"
#include "sim/diagram/run_figures.hpp"

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

using namespace archlab;
using namespace archlab::diagram;

namespace {
const char* SUMMARY = R"({"model": "m", "clients": {"users": {"sent": 100, "completed": 90, "rejected": 0, "failed": 5,
    "timed_out": 5, "throughput_per_s": 9, "latency_ms": {"p99": 250}}},
  "components": {"api": {"type": "service", "utilization": 0.8, "arrivals": 100, "rejected": 10, "failed": 0,
    "throughput_per_s": 9.5, "latency_ms": {"p99": 200}, "instances": {"count": 3, "min": 2, "max": 6}},
    "lb": {"type": "load_balancer", "utilization": null, "arrivals": 100, "throughput_per_s": 10}}})";

std::filesystem::path fresh_folder(const std::string& name)
{
  auto folder = std::filesystem::temp_directory_path() / ("archlab-diagram-spec-" + name);
  std::filesystem::remove_all(folder);
  std::filesystem::create_directories(folder);
  return folder;
}

std::string error_of(const std::filesystem::path& folder)
{
  try {
    read_run_folder(folder, "m", {"users", "api", "lb"});
  } catch (const InputError& error) {
    return error.problems().front().path + ": " + error.problems().front().message;
  }
  return "";
}
}  // namespace

TEST_CASE("run figures: read from a summary", "[diagram]")
{
  auto figures = figures_from_summary(nlohmann::json::parse(SUMMARY), "summary.json");
  CHECK(figures.model == "m");
  const auto* api = figures.find("api");
  REQUIRE(api);
  CHECK(api->utilization == 0.8);
  CHECK(api->p99_ms == 200);
  CHECK(api->failed_share == Approx(0.1));
  CHECK(api->instances_min == 2);
  CHECK(api->instances_max == 6);
  CHECK_FALSE(figures.find("lb")->utilization);
  CHECK(figures.find("users")->is_client);
  CHECK(figures.find("users")->failed_share == Approx(0.1));
}

TEST_CASE("run figures: peak utilization from the time series, faults from the event log", "[diagram]")
{
  auto figures = figures_from_summary(nlohmann::json::parse(SUMMARY), "summary.json");
  std::istringstream csv("time_s,component,arrivals,completions,in_flight,queue_length,utilization,latency_p50_ms,latency_p99_ms\n"
                         "10,api,5,5,0,0,0.5,1,2\n20,api,5,5,0,0,0.95,1,2\n20,users,0,0,0,0,0,0,0\n");
  add_peak_utilization(figures, csv);
  CHECK(figures.find("api")->peak_utilization == 0.95);
  std::istringstream log("    60.000  api  api#1 killed: 3 requests in progress failed\n"
                         "    75.000  lb  target api#1 marked unhealthy after 2 failed checks\n"
                         "    90.000  api  api#1 recovered\n"
                         "    95.000  jobs  message 7 received (job 7), receive count 1, hidden until 125.000\n"
                         "   120.000  api  scale-out: alarm cpu_utilization > 70 for 3 of 3 periods: desired 2 → 3\n");
  figures.by_component["jobs"] = {};
  add_fault_events(figures, log);
  CHECK(figures.find("api")->fault_events == 3);
  CHECK(figures.find("api")->fault_events_by_instance.at(1) == 3);
  CHECK(figures.find("lb")->fault_events == 0);  // the health check line is about api
  CHECK(figures.find("jobs")->fault_events == 0);  // routine work (a receive, scaling) is no fault
}

TEST_CASE("run figures: a bad run folder is an input error that says what is wrong", "[diagram]")
{
  auto missing = std::filesystem::temp_directory_path() / "archlab-diagram-spec-does-not-exist";
  std::filesystem::remove_all(missing);
  CHECK(error_of(missing).find("no such run folder") != std::string::npos);

  auto empty = fresh_folder("empty");
  CHECK(error_of(empty).find("summary.json: missing") != std::string::npos);

  auto broken = fresh_folder("broken");
  std::ofstream(broken / "summary.json") << "{\"model\": ";
  CHECK(error_of(broken).find("not valid JSON") != std::string::npos);

  auto other = fresh_folder("other");
  std::ofstream(other / "summary.json") << R"({"model": "mm1", "clients": {"users": {}}, "components": {"server": {}}})";
  auto message = error_of(other);
  CHECK(message.find("another model (mm1)") != std::string::npos);
  CHECK(message.find("server") != std::string::npos);

  auto good = fresh_folder("good");
  std::ofstream(good / "summary.json") << SUMMARY;
  CHECK(error_of(good).empty());
}
