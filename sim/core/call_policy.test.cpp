#include "sim/core/call_policy.hpp"

#include <catch2/catch.hpp>

using namespace archlab;

namespace {
const std::string site = "components.api.calls[0]";

struct Parsed {
  CallPolicy policy;
  std::vector<Problem> problems;
};

Parsed parse(const char* text)
{
  ValidationContext context;
  context.component_ids = {"api", "db", "cache"};
  auto policy = parse_call_policy(nlohmann::json::parse(text), site, context);
  return {policy, context.problems};
}

// The one problem reported, as "path: message".
std::string only_problem(const char* text)
{
  auto parsed = parse(text);
  REQUIRE(parsed.problems.size() == 1);
  return parsed.problems[0].path + ": " + parsed.problems[0].message;
}
}  // namespace

TEST_CASE("call policy: nothing given, nothing changes", "[resilience]")
{
  auto parsed = parse(R"({"target": "db", "probability": 0.5})");
  CHECK(parsed.problems.empty());
  CHECK(parsed.policy.is_empty());
}

TEST_CASE("call policy: an empty section takes the documented defaults", "[resilience]")
{
  auto parsed = parse(R"({"target": "db", "retry": {}, "circuit_breaker": {}, "bulkhead": {}})");
  REQUIRE(parsed.problems.empty());
  const auto& retry = *parsed.policy.retry;
  CHECK(retry.max_attempts == 3);
  CHECK(retry.backoff.base_ms == 100);
  CHECK(retry.backoff.cap_ms == 20000);
  CHECK(retry.backoff.jitter == Jitter::full);
  CHECK((retry.retries_failed && retry.retries_timed_out && retry.retries_rejected));
  CHECK(retry.budget == RetryBudget::none);
  const auto& breaker = *parsed.policy.circuit_breaker;
  CHECK(breaker.failure_rate == 0.5);
  CHECK(breaker.window_calls == 100);
  CHECK(breaker.min_calls == 100);
  CHECK(breaker.open_s == 60);
  CHECK(breaker.half_open_calls == 10);
  CHECK(parsed.policy.bulkhead->max_concurrent == 25);
  CHECK(parsed.policy.bulkhead->max_waiting == 0);
  CHECK_FALSE(parsed.policy.timeout_ms);
  CHECK_FALSE(parsed.policy.fallback);
}

TEST_CASE("call policy: every field is read", "[resilience]")
{
  auto parsed = parse(R"({"target": "db", "timeout_ms": 250,
    "retry": {"max_attempts": 5, "base_ms": 50, "cap_ms": 800, "jitter": "decorrelated", "retry_on": ["timed_out"], "budget": "sdk_2026"},
    "circuit_breaker": {"failure_rate": 0.25, "window_calls": 20, "min_calls": 5, "open_s": 30, "half_open_calls": 2},
    "bulkhead": {"max_concurrent": 4, "max_waiting": 8},
    "fallback": {"target": "cache", "operation": "get"}})");
  REQUIRE(parsed.problems.empty());
  const auto& policy = parsed.policy;
  CHECK(*policy.timeout_ms == 250);
  CHECK(policy.retry->max_attempts == 5);
  CHECK(policy.retry->backoff.base_ms == 50);
  CHECK(policy.retry->backoff.cap_ms == 800);
  CHECK(policy.retry->backoff.jitter == Jitter::decorrelated);
  CHECK((!policy.retry->retries_failed && policy.retry->retries_timed_out && !policy.retry->retries_rejected));
  CHECK(policy.retry->budget == RetryBudget::sdk_2026);
  CHECK(parse(R"({"retry": {"budget": "sdk_standard"}})").policy.retry->budget == RetryBudget::sdk_standard);
  CHECK(policy.circuit_breaker->failure_rate == 0.25);
  CHECK(policy.circuit_breaker->window_calls == 20);
  CHECK(policy.circuit_breaker->min_calls == 5);
  CHECK(policy.circuit_breaker->open_s == 30);
  CHECK(policy.circuit_breaker->half_open_calls == 2);
  CHECK(policy.bulkhead->max_concurrent == 4);
  CHECK(policy.bulkhead->max_waiting == 8);
  CHECK(policy.fallback->target == "cache");
  CHECK(policy.fallback->operation == Operation::named("get"));
}

TEST_CASE("call policy: a misspelt jitter is named with its path and the likely word", "[resilience]")
{
  CHECK(only_problem(R"({"retry": {"jitter": "fulll"}})") ==
        "components.api.calls[0].retry.jitter: must be one of: none, full, equal, decorrelated (did you mean 'full'?)");
}

TEST_CASE("call policy: retry_on takes outcome names only", "[resilience]")
{
  CHECK(only_problem(R"({"retry": {"retry_on": ["failed", "timeout"]}})") ==
        "components.api.calls[0].retry.retry_on[1]: unknown outcome 'timeout' (did you mean 'timed_out'?); retried outcomes are failed, "
        "timed_out and rejected");
  CHECK(only_problem(R"({"retry": {"retry_on": ["ok"]}})").find("unknown outcome 'ok'") != std::string::npos);
  CHECK(only_problem(R"({"retry": {"retry_on": []}})") == "components.api.calls[0].retry.retry_on: is empty: nothing would be retried (leave retry out instead)");
}

TEST_CASE("call policy: values out of range or inconsistent are refused", "[resilience]")
{
  CHECK(only_problem(R"({"retry": {"base_ms": 500, "cap_ms": 100}})") == "components.api.calls[0].retry.cap_ms: must be at least base_ms (500)");
  CHECK(only_problem(R"({"retry": {"max_attempts": 0}})") == "components.api.calls[0].retry.max_attempts: must be >= 1");
  CHECK(only_problem(R"({"retry": {"max_attempts": 2.5}})") == "components.api.calls[0].retry.max_attempts: must be a whole number");
  CHECK(only_problem(R"({"circuit_breaker": {"failure_rate": 50}})") == "components.api.calls[0].circuit_breaker.failure_rate: must be <= 1");
  CHECK(only_problem(R"({"circuit_breaker": {"window_calls": 10, "min_calls": 20}})") ==
        "components.api.calls[0].circuit_breaker.min_calls: must be at most window_calls (10): the window never holds more calls");
  CHECK(only_problem(R"({"circuit_breaker": {"window_calls": 1e9}})") == "components.api.calls[0].circuit_breaker.window_calls: must be <= 100000 (the most this parameter takes)");
  CHECK(only_problem(R"({"timeout_ms": 0})") == "components.api.calls[0].timeout_ms: must be > 0");
  CHECK(only_problem(R"({"bulkhead": {"max_waiting": -1}})") == "components.api.calls[0].bulkhead.max_waiting: must be >= 0");
  CHECK(only_problem(R"({"retry": {"max_attempt": 3}})") == "components.api.calls[0].retry.max_attempt: unknown parameter (did you mean 'max_attempts'?)");
  CHECK(only_problem(R"({"retry": 3})") == "components.api.calls[0].retry: must be an object");
}

TEST_CASE("call policy: the fallback names a component and an operation", "[resilience]")
{
  CHECK(only_problem(R"({"fallback": {"target": "cahce"}})") == "components.api.calls[0].fallback.target: no component named 'cahce' (did you mean 'cache'?)");
  CHECK(only_problem(R"({"fallback": {}})").rfind("components.api.calls[0].fallback.target: is required", 0) == 0);
  CHECK(parse(R"({"fallback": {"target": "cache"}})").policy.fallback->operation == request_operation);
}

TEST_CASE("call policy: its fields join a call site's own specs for validation and explain", "[resilience]")
{
  std::vector<ParamSpec> call_site{reference_param("target", Interaction::sync_call, "component called").required()};
  for (auto& field : call_policy_fields())
    call_site.push_back(field);
  ValidationContext context;
  context.component_ids = {"db"};
  auto resolved = validate_fields(nlohmann::json::parse(R"({"target": "db", "retry": {"max_attempts": 2}})"), call_site, site, context);
  check_call_policy(resolved, site, context.problems);
  REQUIRE(context.problems.empty());
  CHECK(read_call_policy(resolved).retry->max_attempts == 2);
  CHECK_FALSE(resolved.contains("circuit_breaker"));  // a section left out stays out
}

TEST_CASE("call policy: the AWS SDK standard retry mode as a call site's retry: full jitter, every outcome, the sdk_standard quota", "[resilience]")
{
  nlohmann::json call = {{"target", "db"}, {"retry", sdk_standard_retry(3, 50, 20000)}};
  ValidationContext context;
  context.component_ids = {"db"};
  CallPolicy policy = parse_call_policy(call, site, context);
  REQUIRE(context.problems.empty());  // a retry the model language itself accepts
  REQUIRE(policy.retry);
  CHECK(policy.retry->max_attempts == 3);
  CHECK(policy.retry->backoff.base_ms == 50);
  CHECK(policy.retry->backoff.cap_ms == 20000);
  CHECK(policy.retry->backoff.jitter == Jitter::full);
  CHECK(policy.retry->retries_failed);
  CHECK(policy.retry->retries_timed_out);
  CHECK(policy.retry->retries_rejected);
  CHECK(policy.retry->budget == RetryBudget::sdk_standard);
}

TEST_CASE("call policy: a call without a retry gets its callee's default for callers, a call with one keeps its own", "[resilience]")
{
  nlohmann::json components = {{"db", {{"type", "table"}, {"sdk_max_attempts", 4}, {"sdk_base_backoff_ms", 25}, {"sdk_max_backoff_ms", 1000}}},
                               {"api", {{"type", "service"}}}};
  auto to_table = with_callee_default_retry({{"target", "db"}, {"operation", "get"}}, components);
  REQUIRE(to_table.contains("retry"));
  CHECK(to_table["retry"]["max_attempts"] == 4);
  CHECK(to_table["retry"]["base_ms"] == 25);
  CHECK(to_table["retry"]["cap_ms"] == 1000);
  CHECK(to_table["operation"] == "get");  // the rest of the call is left alone
  nlohmann::json own = {{"target", "db"}, {"retry", {{"max_attempts", 1}}}};
  CHECK(with_callee_default_retry(own, components) == own);
  CHECK_FALSE(with_callee_default_retry({{"target", "api"}}, components).contains("retry"));  // a service sets no default
}
