// Ends a run that has stopped making progress rather than letting it spin for ever: millions of
// events without simulated time moving (a zero-time loop), or more events than any run may take.
// The simulation calls check() every 65,536 events (the scheduler's hook), so it costs nothing per event.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

namespace archlab {

class RunStalled : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

class Watchdog {
public:
  static constexpr std::uint64_t default_events_at_one_time = 20'000'000;
  static constexpr std::uint64_t default_max_events = 50'000'000'000;

  explicit Watchdog(std::uint64_t events_at_one_time = default_events_at_one_time, std::uint64_t max_events = default_max_events)
      : events_at_one_time_(events_at_one_time), max_events_(max_events)
  {
  }

  // Throws RunStalled, saying what stalled, when either bound is passed.
  void check(double now_s, std::uint64_t events);

private:
  std::uint64_t events_at_one_time_;
  std::uint64_t max_events_;
  double last_time_s_ = -1;
  std::uint64_t events_when_time_last_moved_ = 0;
};

}  // namespace archlab
