// The AWS SDKs' standard-mode retry quota: a token bucket that lets retries through while most
// calls succeed and cuts them off during an outage, so that a client stops multiplying the load
// on a failing service (AWS SDKs and Tools Reference Guide, "Retry behavior").
// sdk_standard, the long-standing constants (aws-sdk-js-v3 packages/middleware-retry/src/constants.ts,
// PR #1258; the Ruby SDK's Aws::Plugins::Retries::RetryQuota; aws-sdk-go-v2 RetryCost and
// RetryTimeoutCost): INITIAL_RETRY_TOKENS 500, RETRY_COST 5, TIMEOUT_RETRY_COST 10, NO_RETRY_INCREMENT 1,
// and the bucket never holds more than it started with.
// sdk_2026, the updated standard mode, the default of most SDKs since 10 November 2026 (AWS Developer
// Tools Blog, "Updated default retry behavior for AWS SDKs and tools"; aws-sdk-go-v2 PR #3400): a
// non-throttling retry, a timeout included, costs 14, a throttled one 5.
// The refund (aws-c-io's standard retry strategy and defaultRetryQuota.ts): a call that succeeds
// without a retry pays 1 token back; a call that succeeds on a retry gives back what that last
// retry cost; a call that fails for good keeps its tokens spent.
#pragma once

#include "sim/resilience/outcome.hpp"

#include <optional>

namespace archlab {

struct RetryQuotaSettings {  // sdk_standard
  int capacity_tokens = 500;
  int failed_retry_cost_tokens = 5;      // after a 5xx
  int timed_out_retry_cost_tokens = 10;  // after a timeout: most likely an overloaded service
  int rejected_retry_cost_tokens = 5;    // after a throttle (429/503)
  int success_refund_tokens = 1;
};
RetryQuotaSettings sdk_2026_quota_settings();

class RetryQuota {
public:
  explicit RetryQuota(RetryQuotaSettings settings = {}) : settings_(settings), available_tokens_(settings.capacity_tokens) {}

  int cost_of_retry_after(Outcome outcome) const;

  // Takes the cost of a retry after `outcome` and returns it, or nothing (and takes nothing) when
  // the bucket holds too little.
  std::optional<int> acquire(Outcome outcome);

  // A call succeeded; `last_retry_cost_tokens` is what its last retry took (0: it needed no retry).
  void record_success(int last_retry_cost_tokens);

  int available_tokens() const { return available_tokens_; }
  const RetryQuotaSettings& settings() const { return settings_; }

private:
  RetryQuotaSettings settings_;
  int available_tokens_;
};

}  // namespace archlab
