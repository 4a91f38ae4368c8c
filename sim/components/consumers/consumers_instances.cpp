// Consumers' side of their instances coming and going (the life itself is the instance pool's):
// worker loops started, stopped and restarted, crashes and their supervisor's restart, and the
// figures and bill. The worker loop itself is consumers.cpp.
#include "sim/components/consumers/consumers.hpp"

#include "sim/core/fault_plan.hpp"
#include "sim/core/world.hpp"

namespace archlab {

void Consumers::instance_changed(PooledInstance& pooled, InstanceChange change, World& world)
{
  if (change == InstanceChange::added || change == InstanceChange::launched) {
    add_instance(pooled);
    return;
  }
  Instance& instance = instances_[pooled.index];
  auto log = [&](const std::string& what) {
    world.log().add(clock().now(), id(), pool_.kind().name + " " + std::to_string(pooled.index) + " " + what);
  };
  switch (change) {
    case InstanceChange::retiring:
      log("retiring: it finishes what it holds");
      retire(instance);
      break;
    case InstanceChange::stopped:
      stop_workers(instance);  // a frozen process too: what it held stays in flight
      log("killed");
      break;
    case InstanceChange::hung:
      log("hangs");  // workers freeze where they are: what they hold stays in flight
      break;
    case InstanceChange::unhung:
      stop_workers(instance);  // the frozen process is restarted
      log("recovered");
      restart_workers(instance);
      break;
    case InstanceChange::recovered:
      log("recovered");
      restart_workers(instance);
      break;
    default:
      break;  // the rest is the pool's alone
  }
}

void Consumers::add_instance(PooledInstance& pooled)
{
  Instance instance;
  instance.pooled = &pooled;
  for (int w = 0; w < workers_per_instance_; ++w) {
    instance.workers.push_back(workers_.size());
    workers_.push_back(Worker{});
    workers_.back().instance = instances_.size();
    workers_.back().request.id = workers_.size();
  }
  instance.running_workers = workers_per_instance_;
  instances_.push_back(std::move(instance));
  stats_.capacity.add(clock().now(), workers_per_instance_);
  for (auto worker : instances_.back().workers)
    poll(worker);
}

void Consumers::stop_worker(std::size_t worker)
{
  Worker& state = workers_[worker];
  ++state.generation;  // also calls off a pending restart
  if (!state.is_running)
    return;
  state.is_running = false;
  set_busy(state, false);
  state.batch.clear();
  stats_.capacity.add(clock().now(), -1);
  Instance& instance = instances_[state.instance];
  --instance.running_workers;
  finish_retirement_once_stopped(instance);
}

void Consumers::restart_worker(std::size_t worker)
{
  Worker& state = workers_[worker];
  if (state.is_running)
    return;
  state.is_running = true;
  ++instances_[state.instance].running_workers;
  stats_.capacity.add(clock().now(), 1);
  poll(worker);
}

void Consumers::stop_workers(Instance& instance)
{
  for (auto worker : instance.workers)
    stop_worker(worker);
}

void Consumers::restart_workers(Instance& instance)
{
  for (auto worker : instance.workers)
    restart_worker(worker);
}

void Consumers::finish_retirement_once_stopped(Instance& instance)
{
  if (instance.pooled->life == Life::retiring && instance.running_workers == 0)
    pool_.finish_retirement(*instance.pooled);
}

void Consumers::crash(std::size_t worker)
{
  ++crashes_;
  Worker& state = workers_[worker];
  world_.log().add(clock().now(), id(), "worker " + std::to_string(worker) + " crashed at step '" + steps_[state.step].name + "' of job " +
                                    std::to_string(state.request.job) + "; its messages stay in flight until their visibility timeout");
  stop_worker(worker);
  stats_.finish(clock().now() - state.message_started_s, false);
  auto generation = state.generation;
  clock().after(restart_after_crash_s_, [this, worker, generation] {
    if (workers_[worker].generation == generation && instances_[workers_[worker].instance].pooled->is_running())
      restart_worker(worker);
  });
}

void Consumers::retire(Instance& instance)
{
  for (auto worker : instance.workers)
    if (!workers_[worker].is_busy && !instance.pooled->is_hung)
      stop_worker(worker);
  finish_retirement_once_stopped(instance);
}

void Consumers::apply_fault(const FaultEvent& fault, World& world)
{
  if (fault.action == "crash") {
    armed_crashes_[fault.step] += fault.count;
    world.log().add(clock().now(), id(), "the next " + std::to_string(fault.count) + " workers to reach step '" + fault.step + "' will crash there");
    return;
  }
  pool_.apply_fault(fault, world);
}

void Consumers::add_summary(nlohmann::json& summary, double end_s) const
{
  summary["requests"] = stats_.counts().arrivals;
  summary["polls"] = polls_;
  summary["empty_polls"] = empty_polls_;
  summary["executions"] = executions_;
  summary["errors"] = errors_;
  summary["crashes"] = crashes_;
  pool_.add_summary(summary, end_s);
}

void Consumers::add_billing(std::vector<BillingLine>& lines, double end_s) const
{
  lines.push_back(pool_.billing(end_s));
}

}  // namespace archlab
