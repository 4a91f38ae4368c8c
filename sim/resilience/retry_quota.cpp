#include "sim/resilience/retry_quota.hpp"

#include <algorithm>

namespace archlab {

int RetryQuota::cost_of_retry_after(Outcome outcome) const
{
  return outcome == Outcome::timed_out ? settings_.timeout_retry_cost_tokens : settings_.retry_cost_tokens;
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
