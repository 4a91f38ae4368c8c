#include "sim/compare/calibration.hpp"
#include "sim/core/problems.hpp"

#include <catch2/catch.hpp>
#include <cmath>

using namespace archlab::compare;

namespace {
const CalibrationMap map = read_calibration_map(nlohmann::json::parse(R"({
  "sets": {"users.arrivals": {"process": "poisson", "rate_per_s": "${/load/rate_per_s}"},
           "run.duration_s": {"sum_of": ["${/load/duration_s}", 60]},
           "server.service_time_ms": {"lognormal_ms": "/jobs/run_s"},
           "server.concurrency": 2},
  "figures": [{"name": "p50", "simulated": "/jobs/latency_s/p50", "measured": "/jobs/latency_s/p50"},
              {"name": "done", "simulated": "/jobs/completed", "measured": "/jobs/completed"}]})"), "map.json");
}

TEST_CASE("compare: a lognormal fitted to a measured mean and median", "[compare]")
{
  auto fitted = lognormal_from_mean_and_median(0.5, 0.3);
  CHECK(fitted.mean == 0.5);
  CHECK(fitted.cv == Approx(std::sqrt((0.5 / 0.3) * (0.5 / 0.3) - 1)));  // exp(σ²) = (mean/median)²
  CHECK(lognormal_from_mean_and_median(0.5, 0.5).cv == 0);  // no skew measured: no spread assumed
  CHECK(lognormal_from_mean_and_median(0.5, 0.7).cv == 0);
}

TEST_CASE("compare: measured figures become --sets, with sums and fitted distributions", "[compare]")
{
  auto measured = nlohmann::json::parse(R"({"load": {"rate_per_s": 4, "duration_s": 30}, "jobs": {"run_s": {"mean": 0.2, "p50": 0.1}}})");
  auto sets = calibration_sets(map, measured, "result.json");
  REQUIRE(sets.size() == 4);
  CHECK(sets[0] == R"(run.duration_s=90.0)");
  CHECK(sets[1] == "server.concurrency=2");
  auto service = nlohmann::json::parse(sets[2].substr(sets[2].find('=') + 1));
  CHECK(service["dist"] == "lognormal");
  CHECK(service["mean"].get<double>() == Approx(200));
  CHECK(service["cv"].get<double>() == Approx(std::sqrt(3.0)));
  CHECK(sets[3] == R"(users.arrivals={"process":"poisson","rate_per_s":4.0})");
  measured["jobs"]["run_s"]["p50"] = 0.25;  // median above the mean: no skew to fit, a constant
  CHECK(calibration_sets(map, measured, "result.json")[2] == "server.service_time_ms=200.0");
}

TEST_CASE("compare: a result without a figure the map needs names it", "[compare]")
{
  auto measured = nlohmann::json::parse(R"({"load": {"rate_per_s": 4}})");
  try {
    calibration_sets(map, measured, "result.json");
    FAIL("no error");
  } catch (const archlab::InputError& error) {
    CHECK(error.problems().front().path == "result.json: /load/duration_s");
  }
}

TEST_CASE("compare: errors are relative to the measured value, missing figures have none", "[compare]")
{
  auto simulated = nlohmann::json::parse(R"({"jobs": {"latency_s": {"p50": 1.5}, "completed": 0}})");
  auto measured = nlohmann::json::parse(R"({"jobs": {"latency_s": {"p50": 1.0}}})");
  auto comparison = compare_figures(map, simulated, measured);
  CHECK(comparison["figures"][0]["error_pct"].get<double>() == Approx(50));
  CHECK(comparison["figures"][1]["error_pct"].is_null());
  CHECK(comparison["mean_absolute_error_pct"].get<double>() == Approx(50));
  CHECK(comparison_table(comparison).find("mean absolute error: 50 %") != std::string::npos);
}

TEST_CASE("compare: a malformed map is refused with every problem", "[compare]")
{
  try {
    read_calibration_map(nlohmann::json::parse(R"({"sets": [], "figures": [{"name": 1}], "extra": 1})"), "m.json");
    FAIL("no error");
  } catch (const archlab::InputError& error) {
    CHECK(error.problems().size() == 3);
  }
}
