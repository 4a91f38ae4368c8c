// A circuit breaker with resilience4j's count-based sliding window (resilience4j.readme.io/docs/circuitbreaker):
// - CLOSED: every call goes through; the outcomes of the last `window_calls` calls are kept. Once at
//   least `min_calls` are recorded and the share of failures among them is >= `failure_rate`, it opens.
// - OPEN: calls are refused at once (short-circuited) until `open_s` has passed since it opened; the next
//   call then finds it HALF_OPEN (resilience4j's default: no timer, the transition happens on a call).
// - HALF_OPEN: exactly `half_open_calls` trial calls go through, the others are refused; when all of
//   them have answered, a failure share >= `failure_rate` opens it again, anything lower closes it
//   with an empty window.
// `failure_rate` is a fraction (0.5), where resilience4j takes a percentage (failureRateThreshold 50).
// Every outcome but ok counts as a failure (resilience4j records every exception by default).
// One deliberate difference: an answer counts only in the state period that let its call through
// (each permit carries the period's number), so a slow call sent while CLOSED cannot decide a
// HALF_OPEN trial; resilience4j, which keeps no per-call tag, records it wherever the breaker is.
#pragma once

#include "sim/resilience/outcome.hpp"

#include <cstdint>
#include <vector>

namespace archlab {

struct BreakerSettings {  // resilience4j's defaults
  double failure_rate = 0.5;
  int window_calls = 100;
  int min_calls = 100;
  double open_s = 60;
  int half_open_calls = 10;
};

enum class BreakerState : std::uint8_t { closed, open, half_open };
const char* breaker_state_name(BreakerState state);

struct BreakerPermit {
  bool is_permitted = false;
  std::uint64_t period = 0;  // hand it back with the answer
};

class CircuitBreaker {
public:
  explicit CircuitBreaker(BreakerSettings settings);

  BreakerPermit try_acquire(double now_s);  // may move OPEN to HALF_OPEN
  void record(const BreakerPermit& permit, Outcome outcome, double now_s);  // may open or close it

  BreakerState state() const { return state_; }
  double opened_at_s() const { return opened_at_s_; }
  int recorded_calls() const { return recorded_; }
  int recorded_failures() const { return failures_; }

private:
  void enter(BreakerState state, double now_s);
  bool is_failure_rate_reached(int failures, int calls) const;

  BreakerSettings settings_;
  BreakerState state_ = BreakerState::closed;
  std::uint64_t period_ = 0;
  double opened_at_s_ = 0;
  std::vector<bool> window_is_failure_;  // a ring of the last window_calls outcomes (CLOSED)
  std::size_t next_slot_ = 0;
  int recorded_ = 0;  // CLOSED: outcomes in the window; HALF_OPEN: trial answers
  int failures_ = 0;
  int trials_permitted_ = 0;
};

}  // namespace archlab
