// A bulkhead: at most `max_concurrent` calls of one call site in flight, at most `max_waiting` more
// waiting for a slot in arrival order, the rest refused at once, so that one slow dependency cannot
// take every worker of its caller (Nygard, "Release It!"; resilience4j's SemaphoreBulkhead bounds
// the wait by time instead, its ThreadPoolBulkhead by a queue length as here).
#pragma once

#include <cstdint>
#include <deque>
#include <optional>

namespace archlab {

struct BulkheadSettings {
  int max_concurrent = 25;  // resilience4j's maxConcurrentCalls
  int max_waiting = 0;      // resilience4j's maxWaitDuration 0: no waiting
};

enum class BulkheadAdmission : std::uint8_t { start, wait, reject };
const char* admission_name(BulkheadAdmission admission);

class Bulkhead {
public:
  explicit Bulkhead(BulkheadSettings settings) : settings_(settings) {}

  // A call arrives; `waiter_id` (the caller's own tag) identifies it should it have to wait.
  BulkheadAdmission admit(std::uint64_t waiter_id);
  // A running call ended: returns the waiter that takes its slot (it is now running), if any.
  std::optional<std::uint64_t> release();
  // A waiter gave up (its caller's timeout, say): true when it was waiting and is now gone.
  bool abandon(std::uint64_t waiter_id);

  int running() const { return running_; }
  std::size_t waiting() const { return waiters_.size(); }

private:
  BulkheadSettings settings_;
  int running_ = 0;
  std::deque<std::uint64_t> waiters_;
};

}  // namespace archlab
