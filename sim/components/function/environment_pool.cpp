#include "sim/components/function/environment_pool.hpp"

#include <stdexcept>

namespace archlab {

std::uint32_t EnvironmentPool::add(bool is_provisioned)
{
  std::uint32_t index;
  if (!free_slots_.empty()) {
    index = free_slots_.back();
    free_slots_.pop_back();
  } else {
    index = static_cast<std::uint32_t>(environments_.size());
    environments_.emplace_back();
    ++counts_[static_cast<int>(EnvironmentState::gone)];
  }
  environments_[index].is_provisioned = is_provisioned;
  set_state(index, EnvironmentState::initializing);
  return index;
}

std::optional<std::uint32_t> EnvironmentPool::take_idle(double now_s, bool is_provisioned)
{
  if (!is_provisioned)
    expire_idle(now_s);
  auto& idle = is_provisioned ? idle_provisioned_ : idle_on_demand_;
  if (idle.empty())
    return std::nullopt;
  auto index = idle.back();  // the newest
  idle.pop_back();
  set_state(index, EnvironmentState::busy);
  return index;
}

void EnvironmentPool::set_busy(std::uint32_t index)
{
  if (environments_[index].state != EnvironmentState::initializing)
    throw std::logic_error("environment pool: only an initializing environment becomes busy without being taken");
  set_state(index, EnvironmentState::busy);
}

void EnvironmentPool::set_idle(std::uint32_t index, double now_s)
{
  auto& environment = environments_[index];
  environment.idle_since_s = now_s;
  set_state(index, EnvironmentState::idle);
  (environment.is_provisioned ? idle_provisioned_ : idle_on_demand_).push_back(index);
}

void EnvironmentPool::reset(std::uint32_t index)
{
  if (environments_[index].state == EnvironmentState::idle)
    throw std::logic_error("environment pool: an idle environment runs nothing that could time out");
  set_state(index, EnvironmentState::gone);
  free_slots_.push_back(index);
}

int EnvironmentPool::expire_idle(double now_s)
{
  int dropped = 0;
  while (!idle_on_demand_.empty() && now_s - environments_[idle_on_demand_.front()].idle_since_s >= idle_timeout_s_) {
    auto index = idle_on_demand_.front();
    idle_on_demand_.pop_front();
    set_state(index, EnvironmentState::gone);
    free_slots_.push_back(index);
    ++dropped;
  }
  expired_ += dropped;
  return dropped;
}

void EnvironmentPool::set_state(std::uint32_t index, EnvironmentState state)
{
  --counts_[static_cast<int>(environments_[index].state)];
  environments_[index].state = state;
  ++counts_[static_cast<int>(state)];
}

}  // namespace archlab
