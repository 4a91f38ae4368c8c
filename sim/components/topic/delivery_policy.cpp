#include "sim/components/topic/delivery_policy.hpp"

#include <cmath>

namespace archlab {

std::optional<BackoffFunction> backoff_function_named(const std::string& name)
{
  if (name == "linear")
    return BackoffFunction::linear;
  if (name == "arithmetic")
    return BackoffFunction::arithmetic;
  if (name == "geometric")
    return BackoffFunction::geometric;
  if (name == "exponential")
    return BackoffFunction::exponential;
  return std::nullopt;
}

DeliveryPolicy managed_endpoint_policy()
{
  return {.num_retries = 2 + 2 + 10 + 100000,
          .num_no_delay_retries = 2,
          .num_min_delay_retries = 2,
          .num_max_delay_retries = 100000,
          .min_delay_s = 1,
          .max_delay_s = 20,
          .backoff = BackoffFunction::exponential};
}

DeliveryPolicy http_default_policy()
{
  return {};
}

namespace {
// Where a backoff retry sits between the minimum (0) and the maximum (1) delay. AWS draws the four
// functions in a figure and gives no formula: linear is a straight line and exponential grows by a
// constant factor (as documented for the managed schedule); arithmetic (a parabola) and geometric (a
// square root) are our assumptions of the shapes between them.
double backoff_share(BackoffFunction function, double x)
{
  switch (function) {
    case BackoffFunction::linear: return x;
    case BackoffFunction::arithmetic: return x * x;
    case BackoffFunction::geometric: return std::sqrt(x);
    case BackoffFunction::exponential: return x;  // in log space, see below
  }
  return x;
}
}  // namespace

std::optional<double> retry_delay_s(const DeliveryPolicy& policy, int retry)
{
  if (retry < 1 || retry > policy.num_retries)
    return std::nullopt;
  int phase_end = policy.num_no_delay_retries;
  if (retry <= phase_end)
    return 0.0;
  phase_end += policy.num_min_delay_retries;
  if (retry <= phase_end)
    return policy.min_delay_s;
  int backoff_count = policy.backoff_retries();
  if (retry <= phase_end + backoff_count) {
    // From the minimum (first backoff retry) to the maximum (last), both included.
    int k = retry - phase_end;
    double x = backoff_count > 1 ? static_cast<double>(k - 1) / (backoff_count - 1) : 0.0;
    if (policy.backoff == BackoffFunction::exponential && policy.min_delay_s > 0)
      return policy.min_delay_s * std::pow(policy.max_delay_s / policy.min_delay_s, x);
    return policy.min_delay_s + (policy.max_delay_s - policy.min_delay_s) * backoff_share(policy.backoff, x);
  }
  return policy.max_delay_s;
}

double total_retry_time_s(const DeliveryPolicy& policy)
{
  // The phases at a constant delay are summed at once: the managed policy has 100,000 of them.
  double total = policy.num_min_delay_retries * policy.min_delay_s + policy.num_max_delay_retries * policy.max_delay_s;
  int backoff_start = policy.num_no_delay_retries + policy.num_min_delay_retries;
  for (int k = 1; k <= policy.backoff_retries(); ++k)
    total += *retry_delay_s(policy, backoff_start + k);
  return total;
}

std::string http_policy_problem(const DeliveryPolicy& policy)
{
  if (policy.num_retries < 0 || policy.num_retries > http_policy_max_retries)
    return "num_retries must be 0..100 (AWS)";
  if (policy.backoff_retries() < 0)
    return "the immediate, pre-backoff and post-backoff retries add up to more than num_retries";
  if (policy.min_delay_s < 1)
    return "min_delay_target_s must be at least 1 s (AWS)";
  if (policy.max_delay_s < policy.min_delay_s)
    return "max_delay_target_s must be at least min_delay_target_s";
  if (policy.max_delay_s > http_policy_max_total_s)
    return "max_delay_target_s must be at most 3,600 s (AWS)";
  double total = total_retry_time_s(policy);
  if (total > http_policy_max_total_s)
    return "the retries take " + std::to_string(static_cast<long long>(std::ceil(total))) +
           " s in all; AWS allows at most 3,600 s for an HTTP/S policy";
  return {};
}

}  // namespace archlab
