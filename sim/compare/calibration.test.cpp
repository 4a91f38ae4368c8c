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

TEST_CASE("compare: a measured rate as a quotient, and dividing by a measured 0 is an error", "[compare]")
{
  auto quotient = read_calibration_map(nlohmann::json::parse(R"({
    "sets": {"users.arrivals.rate_per_s": {"quotient_of": ["${/jobs/submitted}", "${/load/duration_s}"]}},
    "figures": [{"name": "done", "simulated": "/jobs/completed", "measured": "/jobs/completed", "fitted": true}]})"), "q.json");
  CHECK(quotient.figures[0].is_fitted);
  auto measured = nlohmann::json::parse(R"({"load": {"duration_s": 20}, "jobs": {"submitted": 104, "completed": 100}})");
  CHECK(calibration_sets(quotient, measured, "r.json")[0] == "users.arrivals.rate_per_s=5.2");
  measured["load"]["duration_s"] = 0;
  CHECK_THROWS_AS(calibration_sets(quotient, measured, "r.json"), archlab::InputError);
}

TEST_CASE("compare: a measured distribution drawn from as it is", "[compare]")
{
  auto empirical = read_calibration_map(nlohmann::json::parse(R"({
    "sets": {"jobs.api_latency_ms": {"empirical_ms": "/operations_s/worker/sqs.delivery"}},
    "figures": [{"name": "done", "simulated": "/jobs/completed", "measured": "/jobs/completed"}]})"), "e.json");
  auto measured = nlohmann::json::parse(R"({"operations_s": {"worker": {"sqs.delivery": {"quantiles": [0.001, 0.0015, 0.004]}}}})");
  auto set = calibration_sets(empirical, measured, "r.json")[0];
  auto value = nlohmann::json::parse(set.substr(set.find('=') + 1));
  CHECK(value["dist"] == "empirical");
  REQUIRE(value["samples"].size() == 3);
  CHECK(value["samples"][1].get<double>() == Approx(1.5));
  measured["operations_s"]["worker"]["sqs.delivery"]["quantiles"] = nlohmann::json::array({0.001, "slow"});
  try {
    calibration_sets(empirical, measured, "r.json");
    FAIL("no error");
  } catch (const archlab::InputError& error) {
    CHECK(error.problems().front().path == "r.json: /operations_s/worker/sqs.delivery/quantiles[1]");
  }
}

TEST_CASE("compare: fitted figures are told apart and left out of the predicted error", "[compare]")
{
  auto kinds = read_calibration_map(nlohmann::json::parse(R"({"sets": {},
    "figures": [{"name": "done", "simulated": "/done", "measured": "/done", "fitted": true},
                {"name": "p50", "simulated": "/p50", "measured": "/p50"}]})"), "k.json");
  auto comparison = compare_figures(kinds, nlohmann::json::parse(R"({"done": 90, "p50": 1.1})"),
                                    nlohmann::json::parse(R"({"done": 100, "p50": 1.0})"));
  CHECK(comparison["figures"][0]["kind"] == "fitted");
  CHECK(comparison["figures"][1]["kind"] == "predicted");
  CHECK(comparison["mean_absolute_error_pct"].get<double>() == Approx(10));
  CHECK(comparison["predicted_mean_absolute_error_pct"].get<double>() == Approx(10));
  auto fitted_only = compare_figures(kinds, nlohmann::json::parse(R"({"done": 80, "p50": 1.0})"),
                                     nlohmann::json::parse(R"({"done": 100, "p50": 1.0})"));
  CHECK(fitted_only["mean_absolute_error_pct"].get<double>() == Approx(10));
  CHECK(fitted_only["predicted_mean_absolute_error_pct"].get<double>() == Approx(0));
}

TEST_CASE("compare: a malformed map is refused with every problem", "[compare]")
{
  try {
    read_calibration_map(nlohmann::json::parse(R"({"sets": [], "figures": [{"name": 1}], "extra": 1})"), "m.json");
    FAIL("no error");
  } catch (const archlab::InputError& error) {
    CHECK(error.problems().size() == 3);
  }
  try {
    read_calibration_map(nlohmann::json::parse(R"({"sets": {}, "figures": [
      {"name": "a", "simulated": "/a", "measured": "/a", "fitted": "yes"},
      {"name": "b", "simulated": "/b", "measured": "/b", "fited": true}]})"), "m.json");
    FAIL("no error");
  } catch (const archlab::InputError& error) {
    REQUIRE(error.problems().size() == 2);
    CHECK(error.problems()[0].path == "m.json: figures[0].fitted");
    CHECK(error.problems()[1].path == "m.json: figures[1].fited");
  }
}
