// How one attempt of a call ended: the vocabulary every resilience rule reads (a retry's retry_on, a
// breaker's failure count, the SDK's retry quota). The call contract (sim/core/call.hpp) answers in it.
#pragma once

#include <cstdint>

namespace archlab {

enum class Outcome : std::uint8_t {
  ok,
  rejected,   // refused at the door: full waiting line, throttled (HTTP 503/429)
  failed,     // broken on the way: dead instance, failed dependency (HTTP 5xx)
  timed_out,  // nobody answered in time (HTTP 504)
};
const char* outcome_name(Outcome outcome);

}  // namespace archlab
