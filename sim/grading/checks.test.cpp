#include "sim/grading/checks.hpp"

#include <catch2/catch.hpp>

using namespace archlab;
using namespace archlab::grading;

namespace {
Check check_from(const char* text)
{
  auto document = nlohmann::json{{"title", "t"}, {"runs", {{"target", nlohmann::json::object()}}}, {"checks", nlohmann::json::array({nlohmann::json::parse(text)})}};
  return parse_rubric(document, nlohmann::json::object(), "rubric.json").checks.at(0);
}

RunOutcome ok(const char* text) { return {true, "", nlohmann::json::parse(text)}; }

const char* const summary = R"({
  "clients": {"users": {"sent": 1000, "completed": 990}, "batch": {"sent": 10, "completed": 10}},
  "components": {"server": {"latency_ms": {"p99": 483.9}, "utilization": 0.667, "in_system_mean": 4.577}},
  "cost_usd": {"total": 0.36, "per_hour": 0.0104}
})";

const char* const theory_output = R"json({"network": "M/M/6", "passes": true, "figures": [
  {"figure": "mean response (ms)", "theory": 114.24, "simulated": 114.23, "error": -0.01, "error_unit": "percent", "tolerance": 3, "passes": true},
  {"figure": "server utilization", "theory": 0.6667, "simulated": 0.6669, "error": 0.03, "error_unit": "points", "tolerance": -1, "passes": true},
  {"figure": "server Little's law L vs XW", "theory": 4.578, "simulated": 4.577, "error": -0.02, "error_unit": "percent", "tolerance": 1, "passes": true}
]})json";

nlohmann::json default_of(const std::string& type, const std::string& parameter)
{
  return type == "service" && (parameter == "instances" || parameter == "concurrency") ? nlohmann::json(1) : nlohmann::json();
}
}  // namespace

TEST_CASE("checks: a figure is read by JSON pointer and compared", "[grading]")
{
  auto check = check_from(R"({"id": "p99", "title": "p99", "points": 4, "kind": "figure", "run": "target",
                              "figure": "/components/server/latency_ms/p99", "unit": "ms", "require": {"op": "<=", "value": 550}, "hint": "h"})");
  auto run = ok(summary);
  auto result = evaluate_check(check, {nullptr, &run, nullptr, default_of});
  CHECK(result.passed);
  CHECK(result.points == 4);
  CHECK(result.measured == "483.9 ms");
  CHECK(result.required == "<= 550 ms");
  check.require.value = 400;
  result = evaluate_check(check, {nullptr, &run, nullptr, default_of});
  CHECK_FALSE(result.passed);
  CHECK(result.points == 0);
  CHECK(result.max_points == 4);
  CHECK(result.hint == "h");
}

TEST_CASE("checks: a missing figure names the component a student may have renamed", "[grading]")
{
  auto check = check_from(R"({"id": "p99", "title": "p99", "points": 4, "kind": "figure", "run": "target",
                              "figure": "/components/web/latency_ms/p99", "require": {"op": "<=", "value": 550}})");
  auto run = ok(summary);
  auto result = evaluate_check(check, {nullptr, &run, nullptr, default_of});
  CHECK_FALSE(result.passed);
  CHECK(result.message.find("component called 'web'") != std::string::npos);
}

TEST_CASE("checks: a run that failed scores zero and says why", "[grading]")
{
  auto check = check_from(R"({"id": "u", "title": "u", "points": 1, "kind": "figure", "run": "target", "figure": "/x", "require": {"op": "<=", "value": 1}})");
  RunOutcome failed{false, "the simulation was stopped at the wall-clock limit of 10 s", {}};
  auto result = evaluate_check(check, {nullptr, &failed, nullptr, default_of});
  CHECK(result.points == 0);
  CHECK(result.message == failed.failure);
  CHECK(result.measured.empty());
}

TEST_CASE("checks: a figure against theory takes the named theory figure", "[grading]")
{
  auto check = check_from(R"({"id": "little", "title": "L", "points": 1, "kind": "figure", "run": "target", "figure": "/components/server/in_system_mean",
                              "require": {"op": "==", "theory": "server Little's law L vs XW", "tolerance_pct": 1}})");
  auto run = ok(summary), theory = ok(theory_output);
  CHECK(evaluate_check(check, {nullptr, &run, &theory, default_of}).passed);
  check.require.theory = "no such figure";
  auto result = evaluate_check(check, {nullptr, &run, &theory, default_of});
  CHECK_FALSE(result.passed);
  CHECK(result.message.find("no figure 'no such figure'") != std::string::npos);
  RunOutcome unsolvable{false, "archlab theory cannot solve this model", {}};
  CHECK(evaluate_check(check, {nullptr, &run, &unsolvable, default_of}).message.find("no theory to compare with") == 0);
}

TEST_CASE("checks: theory passes when every checked figure is within tolerance", "[grading]")
{
  auto check = check_from(R"({"id": "theory", "title": "theory", "points": 1, "kind": "theory", "run": "target"})");
  auto theory = ok(theory_output);
  auto result = evaluate_check(check, {nullptr, nullptr, &theory, default_of});
  CHECK(result.passed);
  CHECK(result.measured == "2 of 2 figures within tolerance");
  auto strays = theory_output;
  auto document = nlohmann::json::parse(strays);
  document["passes"] = false;
  document["figures"][0]["passes"] = false;
  RunOutcome out_of_tolerance{true, "", document};
  result = evaluate_check(check, {nullptr, nullptr, &out_of_tolerance, default_of});
  CHECK_FALSE(result.passed);
  CHECK(result.message.find("OUT  mean response (ms)") != std::string::npos);
}

TEST_CASE("checks: structure counts, sums with defaults, and looks for a parameter", "[grading]")
{
  auto model = nlohmann::json::parse(R"({"components": {
    "users": {"type": "client"},
    "web": {"type": "service", "instances": 2, "concurrency": 3},
    "server": {"type": "service", "concurrency": 4},
    "jobs": {"type": "queue", "dead_letter_queue": "dlq"},
    "dlq": {"type": "queue"}}})");
  auto count = check_from(R"({"id": "c", "title": "c", "points": 1, "kind": "structure", "select": {"type": "service"}, "require": {"op": ">=", "value": 2}})");
  CHECK(evaluate_check(count, {&model, nullptr, nullptr, default_of}).measured == "2");
  auto sum = check_from(R"({"id": "s", "title": "s", "points": 1, "kind": "structure", "select": {"type": "service"},
                            "sum_of": ["instances", "concurrency"], "require": {"op": "<=", "value": 10}})");
  auto result = evaluate_check(sum, {&model, nullptr, nullptr, default_of});
  CHECK(result.measured == "10");  // 2 × 3 + 1 (default) × 4
  CHECK(result.passed);
  auto named = check_from(R"({"id": "n", "title": "n", "points": 1, "kind": "structure", "select": {"id": "server", "type": "service"}, "require": {"op": "==", "value": 1}})");
  CHECK(evaluate_check(named, {&model, nullptr, nullptr, default_of}).passed);
  auto dlq = check_from(R"({"id": "d", "title": "d", "points": 1, "kind": "structure", "select": {"type": "queue"}, "has": "dead_letter_queue"})");
  result = evaluate_check(dlq, {&model, nullptr, nullptr, default_of});
  CHECK_FALSE(result.passed);
  CHECK(result.message == "without dead_letter_queue: dlq");
  auto none = check_from(R"({"id": "d", "title": "d", "points": 1, "kind": "structure", "select": {"type": "table"}, "has": "x"})");
  CHECK_FALSE(evaluate_check(none, {&model, nullptr, nullptr, default_of}).passed);
}

TEST_CASE("checks: structure reads nested parameters, list elements by name or index", "[grading]")
{
  auto model = nlohmann::json::parse(R"({"components": {
    "workers": {"type": "consumers", "scaling": {"launch_time_s": 90},
                "steps": [{"name": "get"}, {"name": "run", "work_ms": {"mean": 1000}}]}}})");
  auto pinned = [](const std::string& path, double value) {
    std::string text = R"({"id": "p", "title": "p", "points": 1, "kind": "structure", "select": {"id": "workers"}, "sum_of": [")" +
                       path + R"("], "require": {"op": "==", "value": )" + std::to_string(value) + "}}";
    return check_from(text.c_str());
  };
  CHECK(evaluate_check(pinned("scaling.launch_time_s", 90), {&model, nullptr, nullptr, default_of}).passed);
  CHECK(evaluate_check(pinned("steps.run.work_ms.mean", 1000), {&model, nullptr, nullptr, default_of}).passed);
  CHECK(evaluate_check(pinned("steps.1.work_ms.mean", 1000), {&model, nullptr, nullptr, default_of}).passed);
  CHECK_FALSE(evaluate_check(pinned("steps.run.work_ms.mean", 1), {&model, nullptr, nullptr, default_of}).passed);
  auto renamed = evaluate_check(pinned("steps.execute.work_ms.mean", 1000), {&model, nullptr, nullptr, default_of});
  CHECK_FALSE(renamed.passed);
  CHECK(renamed.message == "components.workers.steps.execute.work_ms.mean is not a number");
  auto has = check_from(R"({"id": "h", "title": "h", "points": 1, "kind": "structure", "select": {"id": "workers"}, "has": "steps.run.time_limit_s"})");
  CHECK_FALSE(evaluate_check(has, {&model, nullptr, nullptr, default_of}).passed);
}

TEST_CASE("checks: nothing lost compares every client's sent and completed, or two figures", "[grading]")
{
  auto all = check_from(R"({"id": "l", "title": "l", "points": 1, "kind": "nothing_lost", "run": "target"})");
  auto run = ok(summary);
  auto result = evaluate_check(all, {nullptr, &run, nullptr, default_of});
  CHECK_FALSE(result.passed);
  CHECK(result.measured == "1000 of 1010 answered");
  auto batch = check_from(R"({"id": "l", "title": "l", "points": 1, "kind": "nothing_lost", "run": "target",
                              "sent": "/clients/batch/sent", "received": "/clients/batch/completed"})");
  CHECK(evaluate_check(batch, {nullptr, &run, nullptr, default_of}).passed);
  auto twice = check_from(R"({"id": "l", "title": "l", "points": 1, "kind": "nothing_lost", "run": "target",
                              "sent": "/clients/users/completed", "received": "/clients/users/sent"})");
  auto too_many = evaluate_check(twice, {nullptr, &run, nullptr, default_of});
  CHECK_FALSE(too_many.passed);  // more received than sent (an output written twice) fails too
  CHECK(too_many.required == "exactly 990");
  CHECK(too_many.message == "10 too many");
}

TEST_CASE("checks: cost is a ceiling on a summary figure", "[grading]")
{
  auto total = check_from(R"({"id": "c", "title": "c", "points": 1, "kind": "cost", "run": "target", "ceiling_usd": 0.5})");
  auto run = ok(summary);
  CHECK(evaluate_check(total, {nullptr, &run, nullptr, default_of}).passed);
  auto hourly = check_from(R"({"id": "c", "title": "c", "points": 1, "kind": "cost", "run": "target", "figure": "/cost_usd/per_hour", "unit": "USD/h", "ceiling_usd": 0.01})");
  auto result = evaluate_check(hourly, {nullptr, &run, nullptr, default_of});
  CHECK_FALSE(result.passed);
  CHECK(result.required == "<= 0.01 USD/h");
}

TEST_CASE("checks: which runs a check needs", "[grading]")
{
  CHECK(needs_theory(check_from(R"({"id": "t", "title": "t", "points": 1, "kind": "theory", "run": "target"})")));
  CHECK_FALSE(needs_run(check_from(R"({"id": "t", "title": "t", "points": 1, "kind": "theory", "run": "target"})")));
  CHECK_FALSE(needs_run(check_from(R"({"id": "s", "title": "s", "points": 1, "kind": "structure", "require": {"op": ">=", "value": 1}})")));
  CHECK(needs_run(check_from(R"({"id": "c", "title": "c", "points": 1, "kind": "cost", "run": "target", "ceiling_usd": 1})")));
}

TEST_CASE("checks: a count of one is said in the singular (1 job, 2 jobs; units like ms untouched)", "[grading]")
{
  auto check = check_from(R"({"id": "n", "title": "n", "points": 1, "kind": "figure", "run": "target",
                              "figure": "/clients/batch/sent", "unit": "jobs", "require": {"op": "<=", "value": 1}})");
  const char* one = R"({"clients": {"batch": {"sent": 1}}})";
  auto run = ok(one);
  auto result = evaluate_check(check, {nullptr, &run, nullptr, default_of});
  CHECK(result.measured == "1 job");
  auto ten = ok(R"({"clients": {"batch": {"sent": 10}}})");
  CHECK(evaluate_check(check, {nullptr, &ten, nullptr, default_of}).measured == "10 jobs");
  check.unit = "ms";
  CHECK(evaluate_check(check, {nullptr, &run, nullptr, default_of}).measured == "1 ms");
}
