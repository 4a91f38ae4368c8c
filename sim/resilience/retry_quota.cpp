#include "sim/resilience/retry_quota.hpp"

#include <algorithm>

namespace archlab {

RetryQuotaSettings sdk_2026_quota_settings()
{
  return {.capacity_tokens = 500, .failed_retry_cost_tokens = 14, .timed_out_retry_cost_tokens = 14, .rejected_retry_cost_tokens = 5,
          .success_refund_tokens = 1};
}

int RetryQuota::cost_of_retry_after(Outcome outcome) const
{
  switch (outcome) {
    case Outcome::ok: return 0;
    case Outcome::failed: return settings_.failed_retry_cost_tokens;
    case Outcome::timed_out: return settings_.timed_out_retry_cost_tokens;
    case Outcome::rejected: return settings_.rejected_retry_cost_tokens;
  }
  return settings_.failed_retry_cost_tokens;
}

std::optional<int> RetryQuota::acquire(Outcome outcome)
{
  int cost = cost_of_retry_after(outcome);
  if (cost > available_tokens_)
    return std::nullopt;
  available_tokens_ -= cost;
  return cost;
}

void RetryQuota::record_success(int last_retry_cost_tokens)
{
  int refund = last_retry_cost_tokens > 0 ? last_retry_cost_tokens : settings_.success_refund_tokens;
  available_tokens_ = std::min(settings_.capacity_tokens, available_tokens_ + refund);
}

}  // namespace archlab
