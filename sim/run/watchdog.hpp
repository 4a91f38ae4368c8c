// Ends a run that has stopped making progress rather than letting it spin for ever: millions of
// events without simulated time moving (a zero-time loop), more events than any run may take, or
// more events waiting at once than any model needs (work that feeds itself faster than it ends, as a
// fan-out whose deliveries publish again, would otherwise grow until memory runs out).
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
  // Far above the largest models' (a million closed-loop users or workers wait on about one event each).
  static constexpr std::uint64_t default_max_pending = 8'000'000;

  explicit Watchdog(std::uint64_t events_at_one_time = default_events_at_one_time, std::uint64_t max_events = default_max_events,
                    std::uint64_t max_pending = default_max_pending)
      : events_at_one_time_(events_at_one_time), max_events_(max_events), max_pending_(max_pending)
  {
  }

  // Throws RunStalled, saying what stalled, when a bound is passed; `pending`: events waiting now.
  void check(double now_s, std::uint64_t events, std::uint64_t pending = 0);

private:
  std::uint64_t events_at_one_time_;
  std::uint64_t max_events_;
  std::uint64_t max_pending_;
  double last_time_s_ = -1;
  std::uint64_t events_when_time_last_moved_ = 0;
};

}  // namespace archlab
