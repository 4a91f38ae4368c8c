// Slots reused by index (the scheduler's events, a call site's calls in flight): a freed index is
// handed out again before the container grows. The container must keep its elements where they are
// when it grows past the index given out (a vector indexed afresh each time, or a deque).
#pragma once

#include <cstdint>
#include <vector>

namespace archlab {

// A free slot of `slots`, or a new default-constructed one at the end; its index.
template <class Container>
std::uint32_t take_slot(Container& slots, std::vector<std::uint32_t>& free_slots)
{
  if (!free_slots.empty()) {
    std::uint32_t slot = free_slots.back();
    free_slots.pop_back();
    return slot;
  }
  slots.emplace_back();
  return static_cast<std::uint32_t>(slots.size() - 1);
}

}  // namespace archlab
