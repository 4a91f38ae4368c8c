// A service's side of its instances coming and going (the life itself is the instance pool's):
// workers and waiting lines built and torn down, load balancers told, requests in progress failed
// when an instance dies or its hung process is restarted; the faults of its own (slow, fail).
#include "sim/components/service/service.hpp"

#include "sim/components/service/service_instance.hpp"
#include "sim/core/fault_plan.hpp"
#include "sim/core/number_text.hpp"
#include "sim/core/world.hpp"

#include <cmath>
#include <cstdio>
#include <limits>

namespace archlab {

namespace {
}  // namespace

void Service::add_free_workers(Instance& instance)
{
  for (int w = concurrency_ - 1; w >= 0; --w)
    instance.free_workers.push_back(static_cast<std::size_t>(w));
}

void Service::fail_line(std::deque<Waiting>& line, std::vector<Call>& broken)
{
  for (const auto& waiting : line) {
    stats_.finish(0, false);
    broken.push_back(waiting.call);
  }
  stats_.waiting.add(clock().now(), -static_cast<double>(line.size()));
  line.clear();
}

void Service::instance_changed(PooledInstance& pooled, InstanceChange change, World& world)
{
  if (change == InstanceChange::added || change == InstanceChange::launched) {
    add_instance(pooled, change == InstanceChange::launched, world);
    return;
  }
  Instance& instance = *instances_[pooled.index];
  switch (change) {
    case InstanceChange::retiring: retire(instance, world); break;
    case InstanceChange::stopped: kill(instance, world); break;
    case InstanceChange::loss_reported: answer_lost_calls(); break;
    case InstanceChange::hung: hang(instance, world); break;
    case InstanceChange::unhung: end_hang(instance, world); break;
    case InstanceChange::recovering: clear_slow_and_fail(instance, world); break;
    case InstanceChange::recovered: recover(instance, world); break;
    case InstanceChange::added:
    case InstanceChange::launched: break;
  }
}

void Service::add_instance(PooledInstance& pooled, bool is_launched, World& world)
{
  instances_.push_back(std::make_unique<Instance>(*this, pooled));
  Instance& instance = *instances_.back();
  add_free_workers(instance);
  workers_.resize(instances_.size() * static_cast<std::size_t>(concurrency_));
  stats_.capacity.add(clock().now(), concurrency_);
  if (!is_launched)
    return;
  world.log().add(clock().now(), id(), instance.endpoint_name() + " InService" + (pooled.zone.empty() ? "" : " in " + pooled.zone));
  for (auto* listener : listeners_)
    listener->target_registered(instance, world);
  serve_waiting(instance);
}

void Service::retire(Instance& instance, World& world)
{
  world.log().add(clock().now(), id(), instance.endpoint_name() + " retiring: finishes the " +
                                   std::to_string(instance.busy_workers + instance.line.size()) + " requests it holds, takes no new ones");
  stop_taking_work(instance, world);
  if (instance.is_idle()) {
    finish_retirement(instance);
    return;
  }
  double delay_s = std::numeric_limits<double>::infinity();  // no load balancer: it finishes what it holds
  for (const auto* listener : listeners_)
    delay_s = std::min(delay_s, listener->deregistration_delay_s());
  if (std::isfinite(delay_s))
    clock().after(delay_s, [this, &instance, &world] { end_draining(instance, world); });
}

void Service::end_draining(Instance& instance, World& world)
{
  if (instance.pooled.life != Life::retiring)
    return;  // drained in time
  fail_work_held(instance);
  world.log().add(clock().now(), id(), instance.endpoint_name() + " still holds " + std::to_string(lost_calls_.size()) +
                                   " requests when the deregistration delay ends: stopped, they fail (502)");
  answer_lost_calls();
  finish_retirement(instance);
}

void Service::finish_retirement(Instance& instance)
{
  pool_.finish_retirement(instance.pooled);
  stats_.capacity.add(clock().now(), -concurrency_);
  world_.log().add(clock().now(), id(), instance.endpoint_name() + " terminated, drained");
}

void Service::stop_taking_work(Instance& instance, World& world)
{
  instance.is_registered = false;
  for (auto* listener : listeners_)
    listener->target_deregistered(instance, world);
}

void Service::kill(Instance& instance, World& world)
{
  double now_s = clock().now();
  stats_.capacity.add(now_s, -concurrency_);
  fail_work_held(instance);
  if (!pool_.has_instance_taking_work())  // nobody left to serve the shared line
    fail_line(shared_line_, lost_calls_);
  world.log().add(now_s, id(), instance.endpoint_name() + " killed: " + std::to_string(lost_calls_.size()) + " requests in progress failed");
  if (instance.pooled.is_gone() && instance.is_registered)
    stop_taking_work(instance, world);  // terminated by its group: deregistered too
}

void Service::fail_work_held(Instance& instance)
{
  double now_s = clock().now();
  for (int w = 0; w < concurrency_; ++w) {
    Worker& worker = workers_[instance.index() * concurrency_ + w];
    ++worker.generation;
    if (worker.is_busy) {
      worker.is_busy = false;
      stats_.busy.add(now_s, -1);
      stats_.finish(0, false);
      lost_calls_.push_back(worker.call);
    }
  }
  instance.pooled.busy.set(now_s, 0);
  instance.busy_workers = 0;
  instance.free_workers.clear();
  fail_line(instance.line, lost_calls_);
}

void Service::answer_lost_calls()
{
  auto lost = std::move(lost_calls_);
  lost_calls_.clear();
  for (const auto& call : lost)
    call.caller->on_answer(call, Outcome::failed);
}

void Service::clear_slow_and_fail(Instance& instance, World& world)
{
  if (instance.slow_factor != 1 || instance.failure_probability > 0)
    world.log().add(clock().now(), id(), instance.endpoint_name() + " back to normal (no longer slow or failing)");
  instance.slow_factor = 1;
  instance.failure_probability = 0;
}

void Service::recover(Instance& instance, World& world)
{
  stats_.capacity.add(clock().now(), concurrency_);
  world.log().add(clock().now(), id(), instance.endpoint_name() + " recovered");
  add_free_workers(instance);
  serve_waiting(instance);
}

void Service::hang(Instance& instance, World& world)
{
  for (int w = 0; w < concurrency_; ++w)
    ++workers_[instance.index() * concurrency_ + w].generation;  // work in progress never ends
  world.log().add(clock().now(), id(), instance.endpoint_name() + " hangs: it accepts work and finishes none (" +
                                   std::to_string(instance.busy_workers) + " requests stuck)");
}

void Service::end_hang(Instance& instance, World& world)
{
  // The stuck process is restarted: what it held, and what waited for it, is lost.
  double now_s = clock().now();
  std::vector<Call> broken;
  for (int w = 0; w < concurrency_; ++w) {
    Worker& worker = workers_[instance.index() * concurrency_ + w];
    if (!worker.is_busy)
      continue;
    ++worker.generation;
    worker.is_busy = false;
    stats_.busy.add(now_s, -1);
    --instance.busy_workers;
    instance.pooled.busy.add(now_s, -1);
    stats_.finish(0, false);
    broken.push_back(worker.call);
    instance.free_workers.push_back(static_cast<std::size_t>(w));
  }
  // Its waiting line was the dead process's listen queue: those connections are reset too.
  fail_line(instance.line, broken);
  world.log().add(now_s, id(), instance.endpoint_name() + " no longer hangs (process restarted): " + std::to_string(broken.size()) +
                                   " stuck requests failed");
  serve_waiting(instance);
  if (instance.pooled.life == Life::retiring && instance.is_idle())
    finish_retirement(instance);
  for (const auto& call : broken)
    call.caller->on_answer(call, Outcome::failed);
}

void Service::instance_fault(PooledInstance& pooled, const FaultEvent& fault, World& world)
{
  Instance& instance = *instances_[pooled.index];
  if (fault.action == "slow") {
    instance.slow_factor = fault.latency_factor;
    world.log().add(clock().now(), id(), instance.endpoint_name() + " slow: work takes " + number_text(fault.latency_factor) + " times longer");
  } else if (fault.action == "fail") {
    instance.failure_probability = fault.failure_probability;
    world.log().add(clock().now(), id(), instance.endpoint_name() + " fails a share " + number_text(fault.failure_probability) + " of its requests");
  }
}

void Service::apply_fault(const FaultEvent& fault, World& world)
{
  pool_.apply_fault(fault, world);
}

}  // namespace archlab
