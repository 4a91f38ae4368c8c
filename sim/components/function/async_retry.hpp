// What Lambda does with an asynchronous event that did not run to success (docs/aws-facts.md,
// Lambda, asynchronous invocation):
// - a function error (an error or a timeout) gets at most maximum_retry_attempts (0..2, default 2)
//   more tries: 1 min after the first failure, 2 min after the second;
// - a throttle (429) is retried with backoff growing from 1 s to 5 min (taken here as doubling: 1,
//   2, 4, ... 256, then 300 s; AWS gives only the ends), for as long as the event is younger than
//   maximum_event_age_s (default and most 6 h);
// - an event that runs out of tries, or would be older than its maximum age at its next try, goes to
//   the on-failure destination (or is dropped without one), when its age runs out at the latest.
#pragma once

#include <cstdint>

namespace archlab {

struct AsyncRetrySettings {
  int maximum_retry_attempts = 2;
  double maximum_event_age_s = 21600;
};

enum class AsyncStep : std::uint8_t { retry, exhausted, aged_out };

struct AsyncDecision {
  AsyncStep step;
  double at_s;  // when to retry, or when the event is given up
};

double error_retry_delay_s(int errors);        // after the errors-th function error: 60, 120
double throttle_retry_delay_s(int throttles);  // after the throttles-th throttle: 1, 2, 4, ..., 300

AsyncDecision after_function_error(const AsyncRetrySettings& settings, double queued_s, double now_s, int errors);
AsyncDecision after_throttle(const AsyncRetrySettings& settings, double queued_s, double now_s, int throttles);

}  // namespace archlab
