#include "sim/run/watchdog.hpp"

#include <string>


namespace archlab {

void Watchdog::check(double now_s, std::uint64_t events, std::uint64_t pending)
{
  if (now_s != last_time_s_) {
    last_time_s_ = now_s;
    events_when_time_last_moved_ = events;
  }
  if (events - events_when_time_last_moved_ >= events_at_one_time_)
    throw RunStalled("the run stalled: " + std::to_string(events - events_when_time_last_moved_) + " events at simulated time " +
                     std::to_string(now_s) + " s without time moving on (a loop of calls that take no time, e.g. service_time_ms 0 "
                     "with think_time_ms 0)");
  if (events >= max_events_)
    throw RunStalled("the run was stopped after " + std::to_string(events) + " events at simulated time " + std::to_string(now_s) +
                     " s, the most one run may take: shorten run.duration_s or run.requests");
  if (pending >= max_pending_)
    throw RunStalled("the run was stopped at simulated time " + std::to_string(now_s) + " s with " + std::to_string(pending) +
                     " events waiting, the most one run may hold: work is made faster than it ends (a fan-out whose deliveries "
                     "come back to it, or requests sent far faster than anything serves them)");
}

}  // namespace archlab
