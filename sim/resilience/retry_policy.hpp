// Whether a call is tried again after an attempt ends, and after what wait. One RetryState per call
// in flight; the settings come from the call site's `retry` (call_policy.hpp), the optional quota
// (made from quota_settings_for(budget)) is shared by every call of one client, as the AWS SDKs keep
// one per client.
#pragma once

#include "sim/resilience/outcome.hpp"
#include "sim/resilience/backoff.hpp"
#include "sim/resilience/retry_quota.hpp"

#include <optional>
#include <string>
#include <vector>

namespace archlab {

enum class RetryBudget : std::uint8_t { none, sdk_standard, sdk_2026 };
const char* retry_budget_name(RetryBudget budget);
std::optional<RetryBudget> retry_budget_from_name(const std::string& name);
std::vector<std::string> retry_budget_names();
// The quota a caller keeps for this budget (nothing for none).
std::optional<RetryQuotaSettings> quota_settings_for(RetryBudget budget);

struct RetrySettings {
  int max_attempts = 3;  // the first attempt included (the AWS SDKs' standard mode: 3)
  BackoffSettings backoff;
  bool retries_failed = true;
  bool retries_timed_out = true;
  bool retries_rejected = true;
  RetryBudget budget = RetryBudget::none;

  bool retries(Outcome outcome) const;
};

struct RetryState {
  int attempts_made = 0;          // attempts that have ended, the last one included
  double last_delay_ms = 0;       // the wait before the last retry (decorrelated jitter grows from it)
  int last_retry_cost_tokens = 0; // what the last retry took from the quota (0: none, or no quota)
};

enum class RetryVerdict : std::uint8_t {
  retry,
  succeeded,           // the attempt was ok
  not_retried_outcome, // its outcome is not in retry_on
  out_of_attempts,     // max_attempts reached
  out_of_quota,        // the retry quota holds too little
};
const char* retry_verdict_name(RetryVerdict verdict);

struct RetryDecision {
  RetryVerdict verdict = RetryVerdict::succeeded;
  double delay_ms = 0;  // retry: wait this long, then send the next attempt
  bool is_retry() const { return verdict == RetryVerdict::retry; }
};

// An attempt ended with `outcome`: updates `state` (and `quota`, when the settings have a budget and
// it is given) and says what happens next. `uniform01` is one draw in [0, 1), used only for the delay.
RetryDecision decide_after_attempt(const RetrySettings& settings, RetryState& state, Outcome outcome, RetryQuota* quota,
                                   double uniform01);

}  // namespace archlab
