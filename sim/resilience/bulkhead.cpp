#include "sim/resilience/bulkhead.hpp"

#include <algorithm>

namespace archlab {

const char* admission_name(BulkheadAdmission admission)
{
  switch (admission) {
    case BulkheadAdmission::start: return "start";
    case BulkheadAdmission::wait: return "wait";
    case BulkheadAdmission::reject: return "reject";
  }
  return "?";
}

BulkheadAdmission Bulkhead::admit(std::uint64_t waiter_id)
{
  if (running_ < settings_.max_concurrent) {
    ++running_;
    return BulkheadAdmission::start;
  }
  if (static_cast<int>(waiters_.size()) < settings_.max_waiting) {
    waiters_.push_back(waiter_id);
    return BulkheadAdmission::wait;
  }
  return BulkheadAdmission::reject;
}

std::optional<std::uint64_t> Bulkhead::release()
{
  if (running_ == 0)
    return std::nullopt;  // nothing was running: a caller's bookkeeping slip must not free a slot twice
  if (waiters_.empty()) {
    --running_;
    return std::nullopt;
  }
  auto next = waiters_.front();  // the slot passes straight to it: running_ stays the same
  waiters_.pop_front();
  return next;
}

bool Bulkhead::abandon(std::uint64_t waiter_id)
{
  auto it = std::find(waiters_.begin(), waiters_.end(), waiter_id);
  if (it == waiters_.end())
    return false;
  waiters_.erase(it);
  return true;
}

}  // namespace archlab
