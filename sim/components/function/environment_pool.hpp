// A Lambda function's execution environments: which one an invocation gets (warm or a new, cold one),
// when an idle one is recycled, and what a timeout or crash does to it. Pure bookkeeping, no clock:
// the function asks with the current time.
//
// Rules (the facts and their sources: docs/aws-facts.md, Lambda):
// - an invocation takes the newest idle environment (SimFaaS routes so, which lets the older ones
//   expire), a provisioned one first;
// - an on-demand environment idle for idle_timeout_s is gone (expiry is applied lazily, whenever the
//   pool is asked, which gives the same answers as a timer per environment);
// - provisioned environments never expire;
// - a timeout or crash resets the environment: it is gone, and the next invocation needs a new one.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <vector>

namespace archlab {

enum class EnvironmentState : std::uint8_t { initializing, busy, idle, gone };

struct Environment {
  EnvironmentState state = EnvironmentState::gone;
  bool is_provisioned = false;
  double idle_since_s = 0;
};

class EnvironmentPool {
public:
  explicit EnvironmentPool(double idle_timeout_s) : idle_timeout_s_(idle_timeout_s) {}

  // A new environment, initializing (its init runs first); reuses the slot of a gone one.
  std::uint32_t add(bool is_provisioned);
  // The newest idle environment of that kind, now busy; nothing when none is idle (expired ones
  // are dropped first).
  std::optional<std::uint32_t> take_idle(double now_s, bool is_provisioned);
  void set_busy(std::uint32_t index);
  void set_idle(std::uint32_t index, double now_s);  // its invocation ended well: kept warm
  void reset(std::uint32_t index);                   // a timeout or crash: the environment is gone
  // Drops on-demand environments idle for idle_timeout_s or longer; returns how many.
  int expire_idle(double now_s);

  const Environment& at(std::uint32_t index) const { return environments_[index]; }
  int count(EnvironmentState state) const { return counts_[static_cast<int>(state)]; }
  int idle(bool is_provisioned) const  // expired ones included until expire_idle drops them
  {
    return static_cast<int>((is_provisioned ? idle_provisioned_ : idle_on_demand_).size());
  }
  int live() const { return count(EnvironmentState::initializing) + count(EnvironmentState::busy) + count(EnvironmentState::idle); }
  int expired() const { return expired_; }

private:
  void set_state(std::uint32_t index, EnvironmentState state);

  double idle_timeout_s_;
  std::vector<Environment> environments_;
  std::vector<std::uint32_t> free_slots_;
  // Idle environments by kind, oldest first: release times only grow, so the expired are at the front.
  std::deque<std::uint32_t> idle_on_demand_;
  std::deque<std::uint32_t> idle_provisioned_;
  int counts_[4] = {0, 0, 0, 0};
  int expired_ = 0;
};

}  // namespace archlab
