#include "sim/grading/comparison.hpp"

#include <catch2/catch.hpp>

using namespace archlab;
using namespace archlab::grading;

namespace {
Requirement parsed(const char* text)
{
  std::vector<Problem> problems;
  auto requirement = parse_requirement(nlohmann::json::parse(text), "checks[0].require", problems);
  REQUIRE(problems.empty());
  return requirement;
}

std::vector<Problem> problems_of(const char* text)
{
  std::vector<Problem> problems;
  parse_requirement(nlohmann::json::parse(text), "checks[0].require", problems);
  return problems;
}
}  // namespace

TEST_CASE("comparison: each operator decides at its boundary", "[grading]")
{
  CHECK(meets(parsed(R"({"op": "<", "value": 5})"), 4.99, 5));
  CHECK_FALSE(meets(parsed(R"({"op": "<", "value": 5})"), 5, 5));
  CHECK(meets(parsed(R"({"op": "<=", "value": 5})"), 5, 5));
  CHECK_FALSE(meets(parsed(R"({"op": "<=", "value": 5})"), 5.0001, 5));
  CHECK(meets(parsed(R"({"op": ">", "value": 5})"), 5.01, 5));
  CHECK_FALSE(meets(parsed(R"({"op": ">", "value": 5})"), 5, 5));
  CHECK(meets(parsed(R"({"op": ">=", "value": 5})"), 5, 5));
  auto band = parsed(R"({"op": "between", "value": [0.6, 0.9]})");
  CHECK(meets(band, 0.6, 0));
  CHECK(meets(band, 0.9, 0));
  CHECK_FALSE(meets(band, 0.59, 0));
  CHECK_FALSE(meets(band, 0.91, 0));
}

TEST_CASE("comparison: equality takes an absolute and a relative tolerance", "[grading]")
{
  auto exact = parsed(R"({"op": "==", "value": 3})");
  CHECK(meets(exact, 3, 3));
  CHECK_FALSE(meets(exact, 3.000001, 3));
  auto relative = parsed(R"({"op": "==", "value": 100, "tolerance_pct": 1})");
  CHECK(meets(relative, 101, 100));
  CHECK(meets(relative, 99, 100));
  CHECK_FALSE(meets(relative, 101.5, 100));
  auto absolute = parsed(R"({"op": "==", "value": 0, "tolerance": 0.5})");
  CHECK(meets(absolute, -0.5, 0));
  CHECK_FALSE(meets(absolute, 0.6, 0));
}

TEST_CASE("comparison: a measurement that is not a number never passes", "[grading]")
{
  CHECK_FALSE(meets(parsed(R"({"op": "<=", "value": 5})"), std::nan(""), 5));
  CHECK_FALSE(meets(parsed(R"({"op": ">=", "value": 5})"), std::numeric_limits<double>::infinity(), 5));
}

TEST_CASE("comparison: a theory reference replaces the value", "[grading]")
{
  auto little = parsed(R"({"op": "==", "theory": "server Little's law L vs XW", "tolerance_pct": 1})");
  CHECK(little.theory == "server Little's law L vs XW");
  CHECK(meets(little, 4.58, 4.6));
  CHECK(describe(little, 4.578, "") == "== 4.578 ± 1% (theory: server Little's law L vs XW)");
}

TEST_CASE("comparison: descriptions say what was required, with the unit", "[grading]")
{
  CHECK(describe(parsed(R"({"op": "<=", "value": 550})"), 550, "ms") == "<= 550 ms");
  CHECK(describe(parsed(R"({"op": "between", "value": [0.6, 0.9]})"), 0, "") == "between 0.6 and 0.9");
  CHECK(describe(parsed(R"({"op": ">", "value": 2})"), 2, "") == "> 2");
}

TEST_CASE("comparison: numbers print the same everywhere", "[grading]")
{
  CHECK(format_number(195000) == "195000");
  CHECK(format_number(483.88671875) == "483.9");
  CHECK(format_number(0.66691759) == "0.6669");
  CHECK(format_number(0.0104) == "0.0104");
  CHECK(format_number(12345.678) == "12345.7");
  CHECK(format_number(-3) == "-3");
}

TEST_CASE("comparison: bad requirements name their path", "[grading]")
{
  auto problems = problems_of(R"({"op": "=<", "value": 5})");
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].path == "checks[0].require.op");
  CHECK(problems_of(R"({"op": "<="})")[0].message.find("exactly one of") != std::string::npos);
  CHECK(problems_of(R"({"op": "<=", "value": 1, "theory": "x"})")[0].message.find("exactly one of") != std::string::npos);
  CHECK(problems_of(R"({"op": "between", "value": [0.9, 0.6]})")[0].path == "checks[0].require.value");
  CHECK(problems_of(R"({"op": "<=", "value": "5"})")[0].path == "checks[0].require.value");
  CHECK(problems_of(R"({"op": "<=", "value": 5, "tolerance_pct": 1})")[0].message.find("only applies") != std::string::npos);
  CHECK(problems_of(R"({"op": "==", "value": 5, "tolerance": -1})")[0].path == "checks[0].require.tolerance");
  CHECK(problems_of(R"({"op": "<=", "value": 5, "extra": 1})")[0].path == "checks[0].require.extra");
  CHECK(problems_of(R"([1])")[0].path == "checks[0].require");
}
