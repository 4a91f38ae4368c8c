#include "sim/core/scheduler.hpp"

#include "sim/core/slot_pool.hpp"

#include <algorithm>

namespace archlab {

namespace {
// A 4-ary heap: half the depth of a binary one, and the four children of a node share a cache line
// or two, which the code runner's large future-event lists (timeouts, polls) feel.
constexpr std::size_t arity = 4;
}  // namespace

template <class Less>
static void sift_up(std::vector<Scheduler::Entry>& heap, std::size_t index, Less is_later)
{
  Scheduler::Entry moving = heap[index];
  while (index > 0) {
    std::size_t parent = (index - 1) / arity;
    if (!is_later(heap[parent], moving))
      break;
    heap[index] = heap[parent];
    index = parent;
  }
  heap[index] = moving;
}

template <class Less>
static void sift_down(std::vector<Scheduler::Entry>& heap, std::size_t index, Less is_later)
{
  const std::size_t size = heap.size();
  Scheduler::Entry moving = heap[index];
  for (;;) {
    std::size_t first = index * arity + 1;
    if (first >= size)
      break;
    std::size_t earliest = first;
    std::size_t last = first + arity < size ? first + arity : size;
    for (std::size_t child = first + 1; child < last; ++child)
      if (is_later(heap[earliest], heap[child]))
        earliest = child;
    if (!is_later(moving, heap[earliest]))
      break;
    heap[index] = heap[earliest];
    index = earliest;
  }
  heap[index] = moving;
}

void Scheduler::push_entry(const Entry& entry)
{
  heap_.push_back(entry);
  sift_up(heap_, heap_.size() - 1, Later{});
}

Scheduler::Entry Scheduler::pop_entry()
{
  Entry top = heap_.front();
  heap_.front() = heap_.back();
  heap_.pop_back();
  if (!heap_.empty())
    sift_down(heap_, 0, Later{});
  return top;
}

EventId Scheduler::schedule(double time_s, Action action)
{
  std::uint32_t slot = take_slot(slots_, free_slots_);
  Slot& stored = slots_[slot];
  stored.action = std::move(action);
  stored.is_pending = true;
  ++pending_;
  bool is_earliest = heap_.empty() || time_s < heap_.front().time_s;
  push_entry({time_s, sequence_++, slot, stored.generation});
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
  // Cancelled timeouts (a gateway's 29 s, a client's) would otherwise outnumber the live events and
  // deepen every push and pop: past half the heap, they are swept out at once.
  if (heap_.size() > 1024 && heap_.size() > 2 * pending_)
    drop_cancelled();
  return true;
}

void Scheduler::drop_cancelled()
{
  std::size_t kept = 0;
  for (const Entry& entry : heap_)
    if (slots_[entry.slot].generation == entry.generation)
      heap_[kept++] = entry;
  heap_.resize(kept);
  // Entries order totally by (time, sequence), so the events come out in the same order whatever
  // shape the rebuilt heap has.
  for (std::size_t index = heap_.size() / arity + 1; index-- > 0;)
    if (index < heap_.size())
      sift_down(heap_, index, Later{});
}

double Scheduler::drop_cancelled_before(double limit_s)
{
  double dropped_s = -1;
  while (!heap_.empty() && heap_.front().time_s < limit_s && slots_[heap_.front().slot].generation != heap_.front().generation)
    dropped_s = pop_entry().time_s;
  return dropped_s;
}

bool Scheduler::pop_live(Entry& entry)
{
  while (!heap_.empty()) {
    entry = pop_entry();
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
      push_entry(entry);
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
