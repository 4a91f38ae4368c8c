// Where requests live: slots reused by index, each named with a generation (RequestRef), so that a
// component holding a reference past the request's end gets nothing back rather than a newer
// request in the same slot. No allocation per request once the pool has grown to the most requests
// in flight at once.
#pragma once

#include "sim/core/call.hpp"
#include "sim/core/slot_pool.hpp"

#include <deque>
#include <vector>

namespace archlab {

class RequestPool {
public:
  // A fresh request (every field at its default) and its reference.
  std::pair<RequestRef, Request*> take()
  {
    std::uint32_t index = take_slot(slots_, free_);
    Slot& slot = slots_[index];
    if (++slot.generation == 0)
      slot.generation = 1;  // 0 names no request
    slot.request = Request{};
    slot.is_in_use = true;
    ++in_use_;
    return {RequestRef{index, slot.generation}, &slot.request};
  }
  // The request, or null when it has been released since the reference was taken.
  Request* get(RequestRef ref)
  {
    if (ref.is_null() || ref.index >= slots_.size())
      return nullptr;
    Slot& slot = slots_[ref.index];
    return slot.is_in_use && slot.generation == ref.generation ? &slot.request : nullptr;
  }
  void release(RequestRef ref)
  {
    if (!get(ref))
      return;  // released already: a second release is harmless
    slots_[ref.index].is_in_use = false;
    free_.push_back(ref.index);
    --in_use_;
  }
  std::size_t in_use() const { return in_use_; }
  std::size_t capacity() const { return slots_.size(); }  // the most ever in flight at once

private:
  struct Slot {
    Request request;
    std::uint32_t generation = 0;
    bool is_in_use = false;
  };
  std::deque<Slot> slots_;  // a deque: a request never moves while the pool grows
  std::vector<std::uint32_t> free_;
  std::size_t in_use_ = 0;
};

}  // namespace archlab
