// Simulated time. Events are SimGrid kernel timers run by maestro, not actors: one timer per event
// is what lets a run simulate millions of requests per second (see docs/simgrid-notes.md §1).
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

template <class Action>
simgrid::kernel::timer::Timer* after(double delay_s, Action&& action)
{
  return at(now() + delay_s, std::forward<Action>(action));
}

}  // namespace archlab
