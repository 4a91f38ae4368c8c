#include "sim/grading/rubric.hpp"

#include <catch2/catch.hpp>

using namespace archlab;
using namespace archlab::grading;

namespace {
const char* const scenarios = R"({"target-load": {"set": {"users.arrivals.rate_per_s": 40}}})";

nlohmann::json rubric_with(const nlohmann::json& checks)
{
  return {{"title", "t"}, {"runs", {{"target", {{"scenario", "target-load"}, {"seed", 3}, {"set", {{"server.concurrency", 2}}}}}}}, {"checks", checks}};
}

std::vector<Problem> problems_of(const nlohmann::json& document)
{
  try {
    parse_rubric(document, nlohmann::json::parse(scenarios), "rubric.json");
  } catch (const InputError& error) {
    return error.problems();
  }
  return {};
}

bool has_problem(const std::vector<Problem>& problems, const std::string& path, const std::string& words)
{
  for (const auto& problem : problems)
    if (problem.path == path && problem.message.find(words) != std::string::npos)
      return true;
  return false;
}
}  // namespace

TEST_CASE("rubric: a valid rubric reads runs and every kind of check", "[grading]")
{
  auto rubric = parse_rubric(rubric_with(nlohmann::json::parse(R"([
    {"id": "p99", "title": "p99", "points": 4, "kind": "figure", "run": "target", "figure": "/components/server/latency_ms/p99",
     "unit": "ms", "require": {"op": "<=", "value": 550}, "hint": "more workers"},
    {"id": "theory", "title": "theory", "points": 1, "kind": "theory", "run": "target", "tolerances": {"response_pct": 5}},
    {"id": "workers", "title": "w", "points": 2, "kind": "structure", "select": {"type": "service"},
     "sum_of": ["instances", "concurrency"], "require": {"op": "<=", "value": 6}},
    {"id": "dlq", "title": "dlq", "points": 1, "kind": "structure", "select": {"type": "queue"}, "has": "dead_letter_queue", "visible": false},
    {"id": "lost", "title": "lost", "points": 1, "kind": "nothing_lost", "run": "target"},
    {"id": "cost", "title": "cost", "points": 1, "kind": "cost", "run": "target", "ceiling_usd": 0.5}
  ])")), nlohmann::json::parse(scenarios), "rubric.json");
  REQUIRE(rubric.runs.size() == 1);
  CHECK(rubric.runs[0].seed == 3);
  CHECK(rubric.runs[0].sets == std::vector<std::string>{"server.concurrency=2"});
  REQUIRE(rubric.checks.size() == 6);
  CHECK(rubric.max_score() == 10);
  CHECK(rubric.checks[1].tolerances.response_pct == 5);
  CHECK(rubric.checks[1].tolerances.little_pct == 1);  // the default of archlab theory
  CHECK(rubric.checks[2].measure == StructureMeasure::sum);
  CHECK(rubric.checks[3].measure == StructureMeasure::has);
  CHECK_FALSE(rubric.checks[3].is_visible);
  CHECK(rubric.checks[5].figure == "/cost_usd/total");
  CHECK(rubric.checks[5].require.value == 0.5);
  CHECK(rubric.submission_file == "submission.json");
}

TEST_CASE("rubric: problems name the rubric file and the JSON path", "[grading]")
{
  auto problems = problems_of(rubric_with(nlohmann::json::parse(R"([
    {"id": "a", "title": "a", "points": 0, "kind": "figure", "run": "nope", "figure": "components/x", "require": {"op": "<=", "value": 1}},
    {"id": "a", "title": "b", "points": 1, "kind": "figur"},
    {"id": "c", "title": "c", "points": 1, "kind": "structure", "has": "x", "require": {"op": "<=", "value": 1}},
    {"id": "d", "title": "d", "points": 1, "kind": "nothing_lost", "run": "target", "sent": "/clients/users/sent"},
    {"id": "e", "title": "e", "points": 1, "kind": "cost", "run": "target"},
    {"id": "f", "title": "f", "points": 1, "kind": "figure", "run": "target", "figure": "/x", "require": {"op": "<=", "value": 1}, "colour": 1}
  ])")));
  CHECK(has_problem(problems, "rubric.json: checks[0].points", "> 0"));
  CHECK(has_problem(problems, "rubric.json: checks[0].run", "names no run"));
  CHECK(has_problem(problems, "rubric.json: checks[0].figure", "JSON pointer"));
  CHECK(has_problem(problems, "rubric.json: checks[1].id", "another check has the id 'a'"));
  CHECK(has_problem(problems, "rubric.json: checks[1].kind", "unknown kind 'figur'"));
  CHECK(has_problem(problems, "rubric.json: checks[2].require", "takes no requirement"));
  CHECK(has_problem(problems, "rubric.json: checks[3]", "give both"));
  CHECK(has_problem(problems, "rubric.json: checks[4].ceiling_usd", "must be given"));
  CHECK(has_problem(problems, "rubric.json: checks[5].colour", "unknown key"));
}

TEST_CASE("rubric: runs name the lab's scenarios, and the top level is checked", "[grading]")
{
  auto document = rubric_with(nlohmann::json::parse(R"([{"id": "a", "title": "a", "points": 1, "kind": "theory", "run": "target"}])"));
  document["runs"]["other"] = {{"scenario", "rush-hour"}, {"seed", -1}};
  document["limits"] = {{"wall_s", 0}};
  document["submission"] = "../x.json";
  document.erase("title");
  auto problems = problems_of(document);
  CHECK(has_problem(problems, "rubric.json: runs.other.scenario", "names no scenario"));
  CHECK(has_problem(problems, "rubric.json: runs.other.seed", "whole number"));
  CHECK(has_problem(problems, "rubric.json: limits.wall_s", "> 0"));
  CHECK(has_problem(problems, "rubric.json: submission", "plain file name"));
  CHECK(has_problem(problems, "rubric.json: title", "is required"));
  CHECK(has_problem(problems_of({{"title", "t"}}), "rubric.json: checks", "non-empty list"));
}

TEST_CASE("rubric: hidden checks are never visible and may bring scenarios and runs", "[grading]")
{
  auto rubric = parse_rubric(rubric_with(nlohmann::json::parse(R"([{"id": "a", "title": "a", "points": 1, "kind": "theory", "run": "target"}])")),
                             nlohmann::json::parse(scenarios), "rubric.json");
  add_hidden(rubric, nlohmann::json::parse(R"({
    "scenarios": {"busier": {"extends": ["target-load"], "set": {"users.arrivals.rate_per_s": 44}}},
    "runs": {"busier": {"scenario": "busier"}},
    "checks": [{"id": "b", "title": "b", "points": 2, "kind": "nothing_lost", "run": "busier", "visible": true}]
  })"), "hidden.json");
  REQUIRE(rubric.checks.size() == 2);
  CHECK_FALSE(rubric.checks[1].is_visible);
  CHECK(rubric.hidden_scenarios == std::vector<std::string>{"busier"});
  CHECK(rubric.max_score() == 3);
  try {
    add_hidden(rubric, nlohmann::json::parse(R"({"runs": {"target": {}}, "checks": [{"id": "a", "title": "a", "points": 1, "kind": "theory", "run": "target"}]})"),
               "hidden.json");
    FAIL("a clash was accepted");
  } catch (const InputError& error) {
    CHECK(has_problem(error.problems(), "hidden.json: runs.target", "exists already"));
    CHECK(has_problem(error.problems(), "hidden.json: checks[0].id", "another check"));
  }
}

TEST_CASE("rubric: a bad requirement is named inside the rubric file", "[grading]")
{
  auto problems = problems_of(rubric_with(nlohmann::json::parse(
      R"([{"id": "a", "title": "a", "points": 1, "kind": "figure", "run": "target", "figure": "/x", "require": {"op": "~", "value": 1}}])")));
  CHECK(has_problem(problems, "rubric.json: checks[0].require.op", "must be one of"));
}
