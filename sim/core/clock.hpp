// Simulated time. Events are SimGrid kernel timers run by maestro, not actors: one timer per event
// is what lets a run simulate millions of requests per second (see shared/reference/simgrid-notes.md).
#pragma once

#include <simgrid/kernel/Timer.hpp>
#include <simgrid/s4u/Engine.hpp>

#include <cstdint>
#include <utility>

namespace archlab {

struct EventCounter {
  std::uint64_t events = 0;
  void (*on_every_65536)() = nullptr;  // progress reporting hook, kept off the common path
};
inline EventCounter event_counter;

inline double now() { return simgrid::s4u::Engine::get_clock(); }

// Runs `action` at simulated time `time_s`. The returned timer may be cancelled with ->remove().
template <class Action>
simgrid::kernel::timer::Timer* at(double time_s, Action&& action)
{
  return simgrid::kernel::timer::Timer::set(time_s, [action = std::forward<Action>(action)]() mutable {
    if ((++event_counter.events & 0xFFFF) == 0 && event_counter.on_every_65536)
      event_counter.on_every_65536();
    action();
  });
}

// Whether any event is still scheduled. A periodic event (the time-series sampler) reads it so as not
// to keep a run alive that has nothing else left to do; whatever schedules events must answer it.
inline bool has_pending_events() { return !simgrid::kernel::timer::kernel_timers().empty(); }

template <class Action>
simgrid::kernel::timer::Timer* after(double delay_s, Action&& action)
{
  return at(now() + delay_s, std::forward<Action>(action));
}

}  // namespace archlab
