#include "sim/resilience/retry_theory.hpp"

#include <algorithm>
#include <cmath>

namespace archlab {

double expected_attempts(double failure_probability, int max_attempts)
{
  if (failure_probability >= 1)
    return max_attempts;
  return (1 - std::pow(failure_probability, max_attempts)) / (1 - failure_probability);
}

double final_failure_probability(double failure_probability, int max_attempts)
{
  return std::pow(failure_probability, max_attempts);
}

double worst_case_amplification(const std::vector<int>& max_attempts_per_hop)
{
  double product = 1;
  for (int attempts : max_attempts_per_hop)
    product *= std::max(attempts, 1);
  return product;
}

std::optional<double> expected_retry_delay_ms(const BackoffSettings& settings, int retry_index)
{
  double ceiling = exponential_ceiling_ms(settings, retry_index);
  switch (settings.jitter) {
    case Jitter::none: return ceiling;
    case Jitter::full: return ceiling / 2;
    case Jitter::equal: return ceiling * 3 / 4;
    case Jitter::decorrelated:
      if (std::pow(3.0, retry_index + 1) * settings.base_ms > settings.cap_ms)
        return std::nullopt;
      return 3 * settings.base_ms * std::pow(1.5, retry_index) - settings.base_ms;
  }
  return std::nullopt;
}

std::optional<double> expected_total_backoff_ms(const BackoffSettings& settings, double failure_probability, int max_attempts)
{
  double total = 0;
  for (int k = 0; k + 2 <= max_attempts; ++k) {
    auto delay = expected_retry_delay_ms(settings, k);
    if (!delay)
      return std::nullopt;
    total += std::pow(failure_probability, k + 1) * *delay;
  }
  return total;
}

double quota_limited_retries_per_call(double failure_probability, int max_attempts, int retry_cost_tokens, int success_refund_tokens)
{
  double unlimited = expected_attempts(failure_probability, max_attempts) - 1;
  if (failure_probability <= 0)
    return unlimited;
  double balanced = (1 - failure_probability) * success_refund_tokens / (failure_probability * retry_cost_tokens);
  return std::min(unlimited, balanced);
}

}  // namespace archlab
