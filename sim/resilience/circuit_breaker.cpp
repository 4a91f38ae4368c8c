#include "sim/resilience/circuit_breaker.hpp"

#include <algorithm>

namespace archlab {

const char* breaker_state_name(BreakerState state)
{
  switch (state) {
    case BreakerState::closed: return "closed";
    case BreakerState::open: return "open";
    case BreakerState::half_open: return "half_open";
  }
  return "?";
}

CircuitBreaker::CircuitBreaker(BreakerSettings settings) : settings_(settings)
{
  settings_.window_calls = std::max(settings_.window_calls, 1);
  settings_.half_open_calls = std::max(settings_.half_open_calls, 1);
  settings_.min_calls = std::clamp(settings_.min_calls, 1, settings_.window_calls);  // more could never be recorded
  window_is_failure_.assign(static_cast<std::size_t>(settings_.window_calls), false);
}

void CircuitBreaker::enter(BreakerState state, double now_s)
{
  state_ = state;
  ++period_;
  recorded_ = 0;
  failures_ = 0;
  trials_permitted_ = 0;
  next_slot_ = 0;
  if (state == BreakerState::open)
    opened_at_s_ = now_s;
}

bool CircuitBreaker::is_failure_rate_reached(int failures, int calls) const
{
  // A ratio of two integers and a decimal fraction round to the same double when they are equal,
  // so "exactly at the threshold" opens, as resilience4j's "equal or greater" says.
  return static_cast<double>(failures) / static_cast<double>(calls) >= settings_.failure_rate;
}

BreakerPermit CircuitBreaker::try_acquire(double now_s)
{
  if (state_ == BreakerState::open && now_s >= opened_at_s_ + settings_.open_s)
    enter(BreakerState::half_open, now_s);
  switch (state_) {
    case BreakerState::closed: return {true, period_};
    case BreakerState::open: return {false, period_};
    case BreakerState::half_open:
      if (trials_permitted_ >= settings_.half_open_calls)
        return {false, period_};
      ++trials_permitted_;
      return {true, period_};
  }
  return {false, period_};
}

void CircuitBreaker::record(const BreakerPermit& permit, Outcome outcome, double now_s)
{
  if (!permit.is_permitted || permit.period != period_ || state_ == BreakerState::open)
    return;
  bool is_failure = outcome != Outcome::ok;
  if (state_ == BreakerState::half_open) {
    ++recorded_;
    failures_ += is_failure ? 1 : 0;
    if (recorded_ >= settings_.half_open_calls)
      enter(is_failure_rate_reached(failures_, recorded_) ? BreakerState::open : BreakerState::closed, now_s);
    return;
  }
  if (recorded_ == settings_.window_calls)  // the window is full: the oldest outcome leaves it
    failures_ -= window_is_failure_[next_slot_] ? 1 : 0;
  else
    ++recorded_;
  window_is_failure_[next_slot_] = is_failure;
  failures_ += is_failure ? 1 : 0;
  next_slot_ = (next_slot_ + 1) % window_is_failure_.size();
  if (recorded_ >= settings_.min_calls && is_failure_rate_reached(failures_, recorded_))
    enter(BreakerState::open, now_s);
}

}  // namespace archlab
