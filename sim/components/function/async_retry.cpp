#include "sim/components/function/async_retry.hpp"

#include <algorithm>
#include <cmath>

namespace archlab {

double error_retry_delay_s(int errors)
{
  return 60.0 * errors;  // 1 min, then 2 min (AWS); a third never comes (at most 2 retries)
}

double throttle_retry_delay_s(int throttles)
{
  constexpr double first_s = 1;
  constexpr double cap_s = 300;
  int doublings = std::clamp(throttles - 1, 0, 16);  // 2^9 s is past the cap already
  return std::min(cap_s, first_s * std::ldexp(1.0, doublings));
}

namespace {
AsyncDecision retry_unless_aged(const AsyncRetrySettings& settings, double queued_s, double now_s, double retry_at_s)
{
  double expires_s = queued_s + settings.maximum_event_age_s;
  if (retry_at_s > expires_s)
    return {AsyncStep::aged_out, std::max(now_s, expires_s)};
  return {AsyncStep::retry, retry_at_s};
}
}  // namespace

AsyncDecision after_function_error(const AsyncRetrySettings& settings, double queued_s, double now_s, int errors)
{
  if (errors > settings.maximum_retry_attempts)
    return {AsyncStep::exhausted, now_s};
  return retry_unless_aged(settings, queued_s, now_s, now_s + error_retry_delay_s(errors));
}

AsyncDecision after_throttle(const AsyncRetrySettings& settings, double queued_s, double now_s, int throttles)
{
  return retry_unless_aged(settings, queued_s, now_s, now_s + throttle_retry_delay_s(throttles));
}

}  // namespace archlab
