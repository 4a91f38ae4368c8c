// What a call site does about a slow or failing dependency: a per-attempt timeout, retries, a
// circuit breaker, a bulkhead and a fallback, each optional (absent: the call behaves as without it).
// Read from the fields a call site (a service's `calls`, a consumer's steps, a client's requests)
// adds from call_policy_fields(); README.md in this folder lists them with their defaults and sources.
#pragma once

#include "sim/core/call.hpp"
#include "sim/core/parameters.hpp"
#include "sim/resilience/bulkhead.hpp"
#include "sim/resilience/circuit_breaker.hpp"
#include "sim/resilience/retry_policy.hpp"

#include <optional>
#include <string>

namespace archlab {

// The call made instead when the call fails for good or its breaker is open; the component
// resolves the target id.
struct FallbackCall {
  std::string target;
  Operation operation;  // request unless it names another
};

struct CallPolicy {
  std::optional<double> timeout_ms;  // per attempt
  std::optional<RetrySettings> retry;
  std::optional<BreakerSettings> circuit_breaker;
  std::optional<BulkheadSettings> bulkhead;
  std::optional<FallbackCall> fallback;

  bool is_empty() const { return !timeout_ms && !retry && !circuit_breaker && !bulkhead && !fallback; }
};

// The parameters a call site adds to its own fields: timeout_ms, retry, circuit_breaker, bulkhead, fallback.
std::vector<ParamSpec> call_policy_fields();

// Checks across fields that the specs cannot express (cap_ms >= base_ms, retry_on names, min_calls <=
// window_calls), on a call site already validated against call_policy_fields().
void check_call_policy(const nlohmann::json& call_site, const std::string& path, std::vector<Problem>& problems);

// Reads a validated and checked call site.
CallPolicy read_call_policy(const nlohmann::json& call_site);

// All three at once, for a raw call site: its other keys (target, probability, …) are left alone.
// Problems go to context.problems; the policy returned is empty when there were any.
CallPolicy parse_call_policy(const nlohmann::json& call_site, const std::string& path, ValidationContext& context);

// The outcomes retry_on may name: failed, timed_out, rejected.
std::vector<std::string> retryable_outcome_names();

// A call site's `retry` as the AWS SDKs' standard retry mode makes it (AWS SDKs and Tools Reference
// Guide, "Retry behavior"): full jitter, every outcome retried, the sdk_standard quota; the attempts,
// base and cap as given (the SDKs: 3, 50 ms before a 2026 SDK's throttle rule, 20 s).
nlohmann::json sdk_standard_retry(int max_attempts, double base_ms, double cap_ms);

// `call` (a validated call site) as its caller runs it: with its own retry, or else the retry its
// callee's type gives callers by default (ComponentType::callers_default_retry), or none.
// `components` is the model's resolved components section.
nlohmann::json with_callee_default_retry(const nlohmann::json& call, const nlohmann::json& components);

}  // namespace archlab
