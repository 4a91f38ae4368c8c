// Simulated time: a future-event list keyed by (time, sequence), as SimPy's core.py is. Events at
// equal times run in the order they were scheduled, so a run never depends on how a heap breaks
// ties. Actions live in a slab of inline slots (no allocation per event for captures up to
// `InlineAction::capacity_bytes`); a cancelled event's slot is reused at once and its heap entry is
// skipped when it surfaces (the generation no longer matches).
//
// The scheduler does not own the clock's source of truth: `run_until` drives it directly (tests, and
// runs with no SimGrid activity), and `SimgridDriver` (simgrid_driver.hpp) drives it from one
// SimGrid kernel timer so it can share time with SimGrid's activities.
#pragma once

#include "sim/core/inline_action.hpp"

#include <cstdint>
#include <limits>
#include <vector>

namespace archlab {

// Names one scheduled event; `cancel` on a stale or empty id does nothing.
struct EventId {
  std::uint32_t slot = 0;
  std::uint32_t generation = 0;  // 0: no event
  explicit operator bool() const { return generation != 0; }
};

class Scheduler {
public:
  using Action = InlineAction;
  static constexpr double never = std::numeric_limits<double>::infinity();

  double now() const { return now_s_; }

  template <class F>
  EventId at(double time_s, F&& action)
  {
    return schedule(time_s < now_s_ ? now_s_ : time_s, Action(std::forward<F>(action)));
  }
  template <class F>
  EventId after(double delay_s, F&& action)
  {
    return at(now_s_ + delay_s, std::forward<F>(action));
  }
  // Forgets a pending event; returns whether it was still pending.
  bool cancel(EventId id);
  bool is_pending(EventId id) const;

  // Runs every event due at or before `end_s`, in (time, sequence) order; the clock ends at the
  // last event run (or stays where it was). Returns the number of events run.
  std::uint64_t run_until(double end_s);
  // Runs the events due at the earliest pending time, and any they schedule for that same time.
  std::uint64_t run_next_instant();
  // Runs the events due at or before the clock's current time (the driver has moved the clock).
  std::uint64_t run_due();
  void advance_to(double time_s) { now_s_ = time_s > now_s_ ? time_s : now_s_; }

  double next_time() const { return heap_.empty() ? never : heap_.front().time_s; }
  // Drops the entries of cancelled events at the heap's front due before `limit_s` (a driver skips
  // those instants); returns the latest time dropped, or -1 if none.
  double drop_cancelled_before(double limit_s);
  bool empty() const { return pending_ == 0; }
  std::size_t pending() const { return pending_; }
  std::uint64_t events_run() const { return events_run_; }

  // Called every 65,536 events (progress reports), off the common path.
  void (*on_every_65536)(void* context) = nullptr;
  void* hook_context = nullptr;
  // Called when an event is scheduled earlier than every pending one (the SimGrid driver re-arms).
  void (*on_new_earliest)(void* context, double time_s) = nullptr;
  void* driver_context = nullptr;

  struct Entry {  // public for the heap's helpers; nothing outside the scheduler uses it
    double time_s;
    std::uint64_t sequence;
    std::uint32_t slot;
    std::uint32_t generation;
  };
private:
  struct Slot {
    Action action;
    std::uint32_t generation = 1;
    bool is_pending = false;
  };
  struct Later {  // a function object, so the heap's comparisons inline
    bool operator()(const Entry& a, const Entry& b) const
    {
      return a.time_s > b.time_s || (a.time_s == b.time_s && a.sequence > b.sequence);
    }
  };

  static void next_generation(Slot& slot) { slot.generation = slot.generation == UINT32_MAX ? 1 : slot.generation + 1; }
  EventId schedule(double time_s, Action action);
  void push_entry(const Entry& entry);
  Entry pop_entry();
  bool pop_live(Entry& entry);  // the earliest entry whose slot is still pending
  void drop_cancelled();        // the entries of cancelled events out of the heap
  void run_entry(const Entry& entry);

  double now_s_ = 0;
  std::uint64_t sequence_ = 0;
  std::uint64_t events_run_ = 0;
  std::size_t pending_ = 0;
  std::vector<Entry> heap_;
  std::vector<Slot> slots_;
  std::vector<std::uint32_t> free_slots_;
};

}  // namespace archlab
