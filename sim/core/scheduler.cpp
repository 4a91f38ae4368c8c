#include "sim/core/scheduler.hpp"

#include <algorithm>

namespace archlab {

EventId Scheduler::schedule(double time_s, Action action)
{
  std::uint32_t slot;
  if (!free_slots_.empty()) {
    slot = free_slots_.back();
    free_slots_.pop_back();
  } else {
    slot = static_cast<std::uint32_t>(slots_.size());
    slots_.emplace_back();
  }
  Slot& stored = slots_[slot];
  stored.action = std::move(action);
  stored.is_pending = true;
  ++pending_;
  bool is_earliest = heap_.empty() || time_s < heap_.front().time_s;
  heap_.push_back({time_s, sequence_++, slot, stored.generation});
  std::push_heap(heap_.begin(), heap_.end(), Later{});
  if (is_earliest && on_new_earliest)
    on_new_earliest(driver_context, time_s);
  return {slot, stored.generation};
}

bool Scheduler::is_pending(EventId id) const
{
  return id && id.slot < slots_.size() && slots_[id.slot].generation == id.generation && slots_[id.slot].is_pending;
}

bool Scheduler::cancel(EventId id)
{
  if (!is_pending(id))
    return false;
  Slot& slot = slots_[id.slot];
  slot.action.reset();
  slot.is_pending = false;
  next_generation(slot);  // the heap entry no longer matches: skipped when it surfaces
  free_slots_.push_back(id.slot);
  --pending_;
  return true;
}

bool Scheduler::pop_live(Entry& entry)
{
  while (!heap_.empty()) {
    entry = heap_.front();
    std::pop_heap(heap_.begin(), heap_.end(), Later{});
    heap_.pop_back();
    if (slots_[entry.slot].generation == entry.generation)
      return true;
  }
  return false;
}

void Scheduler::run_entry(const Entry& entry)
{
  Slot& slot = slots_[entry.slot];
  Action action = std::move(slot.action);  // the slot may be reused by what the action schedules
  slot.is_pending = false;
  next_generation(slot);
  free_slots_.push_back(entry.slot);
  --pending_;
  now_s_ = entry.time_s;
  if ((++events_run_ & 0xFFFF) == 0 && on_every_65536)
    on_every_65536(hook_context);
  action();
}

std::uint64_t Scheduler::run_until(double end_s)
{
  std::uint64_t ran = 0;
  Entry entry;
  while (!heap_.empty() && heap_.front().time_s <= end_s) {
    if (!pop_live(entry))
      break;
    if (entry.time_s > end_s) {  // only cancelled entries stood before it: put it back
      heap_.push_back(entry);
      std::push_heap(heap_.begin(), heap_.end(), Later{});
      break;
    }
    run_entry(entry);
    ++ran;
  }
  return ran;
}

std::uint64_t Scheduler::run_next_instant()
{
  Entry entry;
  if (!pop_live(entry))
    return 0;
  double instant_s = entry.time_s;
  run_entry(entry);
  return 1 + run_until(instant_s);
}

std::uint64_t Scheduler::run_due() { return run_until(now_s_); }

}  // namespace archlab
