// The AWS SDKs' standard-mode retry quota: a token bucket that lets retries through while most
// calls succeed and cuts them off during an outage, so that a client stops multiplying the load
// on a failing service (AWS SDKs and Tools Reference Guide, "Retry behavior").
// Constants from aws-sdk-js-v3 packages/middleware-retry/src/constants.ts (PR #1258) and the Ruby
// SDK's Aws::Plugins::Retries::RetryQuota: INITIAL_RETRY_TOKENS 500, RETRY_COST 5,
// TIMEOUT_RETRY_COST 10, NO_RETRY_INCREMENT 1, and the bucket never holds more than it started with.
// The refund (aws-c-io's standard retry strategy and defaultRetryQuota.ts): a call that succeeds
// without a retry pays 1 token back; a call that succeeds on a retry gives back what that last
// retry cost; a call that fails for good keeps its tokens spent.
#pragma once

#include "sim/core/call.hpp"

#include <optional>

namespace archlab {

struct RetryQuotaSettings {
  int capacity_tokens = 500;
  int retry_cost_tokens = 5;
  int timeout_retry_cost_tokens = 10;
  int success_refund_tokens = 1;
};

class RetryQuota {
public:
  explicit RetryQuota(RetryQuotaSettings settings = {}) : settings_(settings), available_tokens_(settings.capacity_tokens) {}

  // What a retry after this outcome costs: a timeout costs more, as it most likely means an overloaded service.
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
