#include "sim/core/distribution.hpp"

#include <catch2/catch.hpp>
#include <cmath>

using namespace archlab;

namespace {
Distribution parsed(const char* text)
{
  std::vector<Problem> problems;
  auto d = Distribution::parse(nlohmann::json::parse(text), "x", ".", problems);
  REQUIRE(problems.empty());
  return d;
}

void check_moments(const Distribution& d, double mean, double cv)
{
  CHECK(d.mean() == Approx(mean).epsilon(1e-9));
  CHECK(d.cv() == Approx(cv).epsilon(1e-6).margin(1e-12));
  Rng rng(11);
  const int n = 400000;
  double sum = 0, sum_sq = 0;
  int negative = 0;
  for (int i = 0; i < n; ++i) {
    double v = d.sample(rng);
    negative += v < 0 ? 1 : 0;
    sum += v;
    sum_sq += v * v;
  }
  CHECK(negative == 0);
  double sample_mean = sum / n;
  double sample_sd = std::sqrt(std::max(0.0, sum_sq / n - sample_mean * sample_mean));
  CHECK(sample_mean == Approx(mean).epsilon(0.01));
  CHECK(sample_sd / sample_mean == Approx(cv).epsilon(0.03).margin(1e-9));
}
}  // namespace

TEST_CASE("distributions: each kind samples the mean and cv it claims", "[distribution]")
{
  check_moments(parsed("100"), 100, 0);
  check_moments(parsed(R"({"dist": "constant", "value": 7})"), 7, 0);
  check_moments(parsed(R"({"dist": "exponential", "mean": 100})"), 100, 1);
  check_moments(parsed(R"({"dist": "uniform", "min": 0, "max": 10})"), 5, 10 / std::sqrt(12.0) / 5);
  check_moments(parsed(R"({"dist": "lognormal", "mean": 100, "cv": 1.5})"), 100, 1.5);
  check_moments(parsed(R"({"dist": "gamma", "mean": 50, "cv": 0.5})"), 50, 0.5);
  check_moments(parsed(R"({"dist": "gamma", "mean": 50, "cv": 2})"), 50, 2);  // shape < 1
  check_moments(parsed(R"({"dist": "erlang", "k": 4, "mean": 20})"), 20, 0.5);
  check_moments(parsed(R"({"dist": "empirical", "samples": [1, 3]})"), 2, 0.5);
}

TEST_CASE("distributions: normal is truncated at 0 and its mean accounts for the cut", "[distribution]")
{
  auto d = parsed(R"({"dist": "normal", "mean": 1, "sd": 1})");
  CHECK(d.mean() > 1.0);
  check_moments(d, d.mean(), d.cv());
}

TEST_CASE("distributions: scaled changes the unit, not the shape", "[distribution]")
{
  auto d = parsed(R"({"dist": "lognormal", "mean": 100, "cv": 1.5})").scaled(1e-3);
  CHECK(d.mean() == Approx(0.1));
  CHECK(d.cv() == Approx(1.5));
}

TEST_CASE("distributions: mistakes are reported with their path", "[distribution]")
{
  auto problems_of = [](const char* text) {
    std::vector<Problem> problems;
    Distribution::parse(nlohmann::json::parse(text), "server.service_time_ms", ".", problems);
    return problems;
  };
  auto problems = problems_of(R"({"dist": "exponential", "mean": -1})");
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].path == "server.service_time_ms.mean");
  CHECK(problems[0].message == "must be > 0");
  CHECK(problems_of(R"({"dist": "uniform", "min": 5, "max": 1})").at(0).path == "server.service_time_ms.max");
  CHECK(problems_of(R"({"dist": "exponential", "mean": 1, "sd": 2})").at(0).message == "is not a field of the exponential distribution");
  CHECK(problems_of(R"({"dist": "erlang", "k": 2.5, "mean": 1})").at(0).path == "server.service_time_ms.k");
  CHECK(problems_of(R"({"dist": "empirical", "samples": []})").size() == 1);
  CHECK(problems_of(R"("fast")").size() == 1);
}

TEST_CASE("distributions: empirical samples from a missing file is an error, not a crash", "[distribution]")
{
  std::vector<Problem> problems;
  Distribution::parse(nlohmann::json::parse(R"({"dist": "empirical", "file": "no-such-file.csv"})"), "d", "/nonexistent", problems);
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].message.find("cannot read samples file") != std::string::npos);
}

namespace {
std::string first_problem(const char* text, const std::filesystem::path& base_dir = ".")
{
  std::vector<Problem> problems;
  Distribution::parse(nlohmann::json::parse(text), "x", base_dir, problems);
  return problems.empty() ? "" : problems[0].path + ": " + problems[0].message;
}
}  // namespace

TEST_CASE("distribution: values that would not sample finitely are refused", "[distribution]")
{
  CHECK(first_problem("1e308") == "x.value: must be at most 1e+09 (a distribution's limit)");
  CHECK(first_problem(R"({"dist": "lognormal", "mean": 10, "cv": 1e200})") == "x.cv: must be at most 100 (a distribution's limit)");
  CHECK(first_problem(R"({"dist": "gamma", "mean": 10, "cv": 1e-200})").rfind("x.cv: must be at least 0.001", 0) == 0);
  CHECK(first_problem(R"({"dist": "erlang", "mean": 10, "k": 1e300})").rfind("x.k: must be at most", 0) == 0);
  CHECK(first_problem(R"({"dist": "uniform", "min": 0, "max": 1e300})").rfind("x.max: must be at most", 0) == 0);
  CHECK(first_problem(R"({"dist": "empirical", "samples": [1, 1e300]})").rfind("x.samples[1]:", 0) == 0);
}

TEST_CASE("distribution: at the limits, every draw is finite and sampling ends", "[distribution]")
{
  for (const char* text : {R"({"dist": "lognormal", "mean": 1e9, "cv": 100})", R"({"dist": "gamma", "mean": 1e9, "cv": 0.001})",
                           R"({"dist": "gamma", "mean": 1e9, "cv": 100})", R"({"dist": "erlang", "mean": 1e9, "k": 1000000})"}) {
    auto d = parsed(text);
    Rng rng(3);
    for (int i = 0; i < 10000; ++i) {
      double value = d.sample(rng);
      REQUIRE(std::isfinite(value));
      REQUIRE(value >= 0);
    }
  }
}

TEST_CASE("distribution: an empirical file must be a regular file", "[distribution]")
{
  CHECK(first_problem(R"({"dist": "empirical", "file": "/dev/zero"})") == "x.file: /dev/zero is not a regular file");
  CHECK(first_problem(R"({"dist": "empirical", "file": "/"})") == "x.file: / is not a regular file");
}
