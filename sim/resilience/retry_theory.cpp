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

namespace {
double timeout_probability(double attempts_per_s, double service_per_s, double timeout_s)
{
  return std::exp(-(service_per_s - attempts_per_s) * timeout_s);
}

// x's excess over the attempts it produces: the fixed points are its roots.
double attempt_excess(double attempts_per_s, double arrival_per_s, double service_per_s, double timeout_s, int retries)
{
  double p = timeout_probability(attempts_per_s, service_per_s, timeout_s);
  return arrival_per_s * expected_attempts(p, retries + 1) - attempts_per_s;
}
}  // namespace

RetryLoadStates retry_load_states(double arrival_per_s, double service_per_s, double timeout_s, int retries)
{
  RetryLoadStates states;
  states.can_stay_overloaded = arrival_per_s * (retries + 1) >= service_per_s;
  if (arrival_per_s >= service_per_s)
    return states;
  // Roots of the excess on [λ, μ): sign changes on a fine grid, each refined by bisection. The excess
  // is positive at λ (retries add to it), so the first root down-crossing is the good state.
  auto excess = [&](double x) { return attempt_excess(x, arrival_per_s, service_per_s, timeout_s, retries); };
  const int steps = 20000;
  double span = service_per_s - arrival_per_s;
  std::vector<double> roots;
  double previous_x = arrival_per_s, previous = excess(previous_x);
  if (previous <= 0)
    roots.push_back(arrival_per_s);  // no retry, or none ever needed: each request is one attempt
  for (int i = 1; i < steps && roots.size() < 2; ++i) {
    double x = arrival_per_s + span * i / steps, value = excess(x);
    if ((previous > 0) != (value > 0)) {
      double low = previous_x, high = x;
      for (int k = 0; k < 100; ++k) {
        double middle = (low + high) / 2;
        ((excess(middle) > 0) == (previous > 0) ? low : high) = middle;
      }
      roots.push_back((low + high) / 2);
    }
    previous_x = x;
    previous = value;
  }
  if (!roots.empty()) {
    states.good_attempts_per_s = roots[0];
    states.good_failure_probability = timeout_probability(roots[0], service_per_s, timeout_s);
  }
  if (roots.size() > 1)
    states.tipping_attempts_per_s = roots[1];
  return states;
}

}  // namespace archlab
