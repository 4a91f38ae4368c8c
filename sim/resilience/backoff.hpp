// The wait before a retry: capped exponential backoff with the four jitter modes of the AWS
// Architecture Blog, "Exponential Backoff and Jitter" (Marc Brooker, 2015), whose formulas are:
//   none:         sleep = min(cap, base · 2^k)
//   full:         sleep = random_between(0, min(cap, base · 2^k))
//   equal:        temp = min(cap, base · 2^k); sleep = temp/2 + random_between(0, temp/2)
//   decorrelated: sleep = min(cap, random_between(base, previous_sleep · 3)), previous_sleep starting at base
// k counts retries from 0 (the blog's `attempt`, and aws-samples/aws-arch-backoff-simulator's `n`).
// The random draw is an argument, so that callers choose the stream (sim/core/random.hpp) and tests
// are deterministic.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace archlab {

enum class Jitter : std::uint8_t { none, full, equal, decorrelated };
const char* jitter_name(Jitter jitter);
std::optional<Jitter> jitter_from_name(const std::string& name);
std::vector<std::string> jitter_names();

struct BackoffSettings {
  double base_ms = 100;     // the AWS SDKs' standard mode: 100 ms
  double cap_ms = 20000;    // the AWS SDKs' standard mode: 20 s
  Jitter jitter = Jitter::full;  // the AWS SDKs' standard mode jitters fully
};

// min(cap, base · 2^k), without overflow for any k >= 0.
double exponential_ceiling_ms(const BackoffSettings& settings, int retry_index);

// The wait before retry `retry_index` (0: the first retry). `uniform01` is one draw in [0, 1).
// `previous_delay_ms` is read by decorrelated jitter only: the wait before the previous retry
// (ignored for the first retry, which starts from base as in the blog).
double backoff_delay_ms(const BackoffSettings& settings, int retry_index, double previous_delay_ms, double uniform01);

}  // namespace archlab
