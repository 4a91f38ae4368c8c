#include "sim/core/call_policy.hpp"

#include "sim/core/json_io.hpp"
#include "sim/core/registry.hpp"

#include <algorithm>

namespace archlab {

namespace {
constexpr double a_day_ms = 86'400'000;
constexpr int counts_limit = 100'000;  // window and queue sizes are memory: bounded

ParamSpec retry_param()
{
  return object_param(
             "retry",
             {
                 integer_param("max_attempts", 3, "attempts in all, the first one included (the AWS SDKs' standard mode: 3)").at_least(1).at_most(100),
                 number_param("base_ms", "ms", 100, "backoff base: the first retry waits up to this (AWS SDKs: 100 ms; 0: retry at once)")
                     .at_least(0)
                     .at_most(a_day_ms),
                 number_param("cap_ms", "ms", 20000, "no wait is longer than this (AWS SDKs: 20 s)").at_least(0).at_most(a_day_ms),
                 choice_param("jitter", jitter_names(), "full",
                              "the wait before retry k, c = min(cap, base·2^k): none c; full random(0, c); equal c/2 + random(0, c/2); "
                              "decorrelated min(cap, random(base, 3 × the previous wait)) (AWS Architecture Blog, \"Exponential Backoff and Jitter\")"),
                 text_list_param("retry_on", "outcomes of an attempt that are retried: failed (5xx), timed_out (no answer within timeout_ms), "
                                             "rejected (429/503: throttled or a full queue)")
                     .with_default(nlohmann::json::array({"failed", "timed_out", "rejected"})),
                 choice_param("budget", retry_budget_names(), "none",
                              "a retry quota shared by the caller's calls, as the AWS SDKs keep: 500 tokens, a success without retry gives 1 "
                              "back, a success on a retry gives that retry's cost back; a retry takes 5, 10 after a timeout (sdk_standard), or "
                              "14, 5 after a throttle (sdk_2026, the SDKs' default since November 2026)"),
             },
             "retry a failed attempt after a backoff")
      .absent_unless_given();
}

ParamSpec circuit_breaker_param()
{
  return object_param(
             "circuit_breaker",
             {
                 number_param("failure_rate", "", 0.5, "opens when this fraction (0..1) of the calls in the window failed (resilience4j: 50 %)")
                     .above(0)
                     .at_most(1),
                 integer_param("window_calls", 100, "the window: the outcomes of the last this many calls (resilience4j: 100)").at_least(1).at_most(counts_limit),
                 integer_param("min_calls", 100, "no decision before this many calls are in the window (resilience4j: 100)").at_least(1).at_most(counts_limit),
                 number_param("open_s", "s", 60, "calls are refused this long after it opens, then trial calls go through (resilience4j: 60 s)")
                     .at_least(0)
                     .at_most(a_day_ms / 1000),
                 integer_param("half_open_calls", 10, "trial calls let through after open_s; their failure rate opens or closes it (resilience4j: 10)")
                     .at_least(1)
                     .at_most(counts_limit),
             },
             "stop calling a dependency that keeps failing (resilience4j's count-based breaker); refused calls fail at once, or go to the fallback")
      .absent_unless_given();
}

ParamSpec bulkhead_param()
{
  return object_param("bulkhead",
                      {
                          integer_param("max_concurrent", 25, "calls of this call site in flight at once (resilience4j: 25)").at_least(1).at_most(counts_limit),
                          integer_param("max_waiting", 0, "calls waiting in arrival order for a slot; beyond, a call is rejected (resilience4j: 0)")
                              .at_least(0)
                              .at_most(counts_limit),
                      },
                      "limit the calls in flight, so that one slow dependency cannot hold every worker")
      .absent_unless_given();
}

ParamSpec fallback_param()
{
  return object_param("fallback",
                      {
                          reference_param("target", Interaction::sync_call, "component called instead").required(),
                          operation_param("what the fallback call asks of its target (one its type declares); its arguments go beside it"),
                      },
                      "the call made instead when this one fails for good, its breaker is open or it answers a miss (cache-aside)")
      .absent_unless_given();
}

// Checks run on validated input, which may still hold wrongly typed values (already reported): skip those.
bool are_numbers(const nlohmann::json& object, const char* first, const char* second)
{
  return object.is_object() && object.contains(first) && object.contains(second) && object.at(first).is_number() &&
         object.at(second).is_number();
}

void check_retry(const nlohmann::json& retry, const std::string& path, std::vector<Problem>& problems)
{
  if (are_numbers(retry, "cap_ms", "base_ms") && retry.at("cap_ms").get<double>() < retry.at("base_ms").get<double>())
    problems.push_back({join_path(path, "cap_ms"), "must be at least base_ms (" + retry.at("base_ms").dump() + ")"});
  if (!retry.is_object() || !retry.contains("retry_on") || !retry.at("retry_on").is_array())
    return;  // reported by the spec
  const auto& retry_on = retry.at("retry_on");
  if (retry_on.empty())
    problems.push_back({join_path(path, "retry_on"), "is empty: nothing would be retried (leave retry out instead)"});
  auto known = retryable_outcome_names();
  for (std::size_t i = 0; i < retry_on.size(); ++i) {
    if (!retry_on[i].is_string())
      continue;  // reported by the spec
    auto name = retry_on[i].get<std::string>();
    if (std::count(known.begin(), known.end(), name))
      continue;
    auto hint = closest_name(name, known);
    problems.push_back({join_path(join_path(path, "retry_on"), i), "unknown outcome '" + name + "'" +
                                                                       (hint.empty() ? "" : " (did you mean '" + hint + "'?)") +
                                                                       "; retried outcomes are failed, timed_out and rejected"});
  }
}

RetrySettings read_retry(const nlohmann::json& retry)
{
  RetrySettings settings;
  settings.max_attempts = retry.at("max_attempts").get<int>();
  settings.backoff.base_ms = retry.at("base_ms").get<double>();
  settings.backoff.cap_ms = retry.at("cap_ms").get<double>();
  settings.backoff.jitter = *jitter_from_name(retry.at("jitter").get<std::string>());
  auto listed = [&](const char* name) {
    const auto& retry_on = retry.at("retry_on");
    return std::find(retry_on.begin(), retry_on.end(), name) != retry_on.end();
  };
  settings.retries_failed = listed("failed");
  settings.retries_timed_out = listed("timed_out");
  settings.retries_rejected = listed("rejected");
  settings.budget = *retry_budget_from_name(retry.at("budget").get<std::string>());
  return settings;
}
}  // namespace

std::vector<std::string> retryable_outcome_names() { return {"failed", "timed_out", "rejected"}; }

nlohmann::json sdk_standard_retry(int max_attempts, double base_ms, double cap_ms)
{
  return {{"max_attempts", max_attempts}, {"base_ms", base_ms}, {"cap_ms", cap_ms}, {"jitter", jitter_name(Jitter::full)},
          {"retry_on", retryable_outcome_names()}, {"budget", retry_budget_name(RetryBudget::sdk_standard)}};
}

nlohmann::json with_callee_default_retry(const nlohmann::json& call, const nlohmann::json& components)
{
  if (call.contains("retry") || !call.contains("target") || !call.at("target").is_string())
    return call;
  auto callee = components.find(call.at("target").get<std::string>());
  if (callee == components.end() || !callee->contains("type") || !callee->at("type").is_string())
    return call;
  const ComponentType* type = find_component_type(callee->at("type").get<std::string>());
  if (!type || !type->callers_default_retry)
    return call;
  nlohmann::json effective = call;
  effective["retry"] = type->callers_default_retry(*callee);
  return effective;
}

std::vector<ParamSpec> call_policy_fields()
{
  return {
      number_param("timeout_ms", "ms", nullptr, "an attempt with no answer after this long ends as timed_out (absent: the caller waits)")
          .above(0)
          .at_most(a_day_ms),
      retry_param(),
      circuit_breaker_param(),
      bulkhead_param(),
      fallback_param(),
  };
}

void check_call_policy(const nlohmann::json& call_site, const std::string& path, std::vector<Problem>& problems)
{
  if (call_site.contains("retry"))
    check_retry(call_site.at("retry"), join_path(path, "retry"), problems);
  if (call_site.contains("circuit_breaker")) {
    const auto& breaker = call_site.at("circuit_breaker");
    if (are_numbers(breaker, "min_calls", "window_calls") && breaker.at("min_calls").get<double>() > breaker.at("window_calls").get<double>())
      problems.push_back({join_path(join_path(path, "circuit_breaker"), "min_calls"),
                          "must be at most window_calls (" + breaker.at("window_calls").dump() + "): the window never holds more calls"});
  }
}

CallPolicy read_call_policy(const nlohmann::json& call_site)
{
  CallPolicy policy;
  if (call_site.contains("timeout_ms"))
    policy.timeout_ms = call_site.at("timeout_ms").get<double>();
  if (call_site.contains("retry"))
    policy.retry = read_retry(call_site.at("retry"));
  if (call_site.contains("circuit_breaker")) {
    const auto& breaker = call_site.at("circuit_breaker");
    policy.circuit_breaker = BreakerSettings{breaker.at("failure_rate").get<double>(), breaker.at("window_calls").get<int>(),
                                             breaker.at("min_calls").get<int>(), breaker.at("open_s").get<double>(),
                                             breaker.at("half_open_calls").get<int>()};
  }
  if (call_site.contains("bulkhead")) {
    const auto& bulkhead = call_site.at("bulkhead");
    policy.bulkhead = BulkheadSettings{bulkhead.at("max_concurrent").get<int>(), bulkhead.at("max_waiting").get<int>()};
  }
  if (call_site.contains("fallback")) {
    const auto& fallback = call_site.at("fallback");
    policy.fallback = FallbackCall{fallback.at("target").get<std::string>(), Operation::named(fallback.at("operation").get<std::string>())};
  }
  return policy;
}

CallPolicy parse_call_policy(const nlohmann::json& call_site, const std::string& path, ValidationContext& context)
{
  if (!call_site.is_object()) {
    context.problems.push_back({path, "must be an object"});
    return {};
  }
  auto specs = call_policy_fields();
  nlohmann::json policy_keys = nlohmann::json::object();
  for (const auto& spec : specs)
    if (call_site.contains(spec.name))
      policy_keys[spec.name] = call_site.at(spec.name);
  auto problems_before = context.problems.size();
  auto resolved = validate_fields(policy_keys, specs, path, context);
  if (context.problems.size() == problems_before)
    check_call_policy(resolved, path, context.problems);
  if (context.problems.size() != problems_before)
    return {};
  return read_call_policy(resolved);
}

}  // namespace archlab
