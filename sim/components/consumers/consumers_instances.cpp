// Consumers' instances: how they come (start, scale-out), go (retire, kill, zone outage), freeze
// (hang) and come back, what the Auto Scaling group reads of them, and their figures and bill. The
// worker loop itself is consumers.cpp.
#include "sim/components/consumers/consumers.hpp"

#include "sim/core/world.hpp"
#include "sim/core/fault_plan.hpp"
#include "sim/scaling/auto_scaling_group.hpp"

namespace archlab {

void Consumers::add_instance(World&)
{
  Instance instance;
  instance.id = instances_.size();
  if (!zones_.empty())
    instance.zone = zones_[instance.id % zones_.size()];
  for (int w = 0; w < workers_per_instance_; ++w) {
    instance.workers.push_back(workers_.size());
    workers_.push_back(Worker{});
    workers_.back().instance = instances_.size();
    workers_.back().request.id = workers_.size();
  }
  instances_.push_back(std::move(instance));
  double now_s = clock().now();
  in_service_.add(now_s, 1);
  in_service_max_ = std::max(in_service_max_, in_service_.level());
  stats_.capacity.add(now_s, workers_per_instance_);
  for (auto worker : instances_.back().workers)
    poll(worker);
}

void Consumers::stop_worker(std::size_t worker)
{
  Worker& state = workers_[worker];
  ++state.generation;
  set_busy(state, false);
  state.batch.clear();
  stats_.capacity.add(clock().now(), -1);
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
    if (workers_[worker].generation != generation || !instances_[workers_[worker].instance].is_alive)
      return;
    stats_.capacity.add(clock().now(), 1);
    poll(worker);
  });
}

void Consumers::kill(Instance& instance, World& world)
{
  if (!instance.is_alive)
    return;
  for (auto worker : instance.workers)
    if (!instance.is_hung)
      stop_worker(worker);
  instance.is_alive = false;
  bool was_in_service = !instance.is_retiring;
  if (was_in_service)
    in_service_.add(clock().now(), -1);
  in_service_min_ = std::min(in_service_min_, in_service_.level());
  world.log().add(clock().now(), id(), "instance " + std::to_string(instance.id) + " killed");
  if (scaling_ && was_in_service)
    scaling_->instance_lost(world);  // the group terminates it and launches a replacement
}

void Consumers::recover(Instance& instance)
{
  if (instance.is_alive && !instance.is_hung)
    return;
  if (instance.is_hung) {
    instance.is_hung = false;
    for (auto worker : instance.workers)
      stop_worker(worker);  // the frozen process is restarted
  } else {
    if (scaling_)
      return;  // the group has already replaced it
    instance.is_alive = true;
    in_service_.add(clock().now(), 1);
    in_service_max_ = std::max(in_service_max_, in_service_.level());
  }
  world_.log().add(clock().now(), id(), "instance " + std::to_string(instance.id) + " recovered");
  for (auto worker : instance.workers) {
    stats_.capacity.add(clock().now(), 1);
    poll(worker);
  }
}

void Consumers::apply_fault(const FaultEvent& fault, World& world)
{
  if (fault.action == "crash") {
    armed_crashes_[fault.step] += fault.count;
    world.log().add(clock().now(), id(), "the next " + std::to_string(fault.count) + " workers to reach step '" + fault.step + "' will crash there");
    return;
  }
  for (auto& instance : instances_) {
    bool is_chosen = fault.target.empty() ? (!fault.zone.empty() && instance.zone == fault.zone)
                                          : (fault.instance < 0 || static_cast<int>(instance.id) == fault.instance);
    if (!is_chosen || instance.is_retiring)
      continue;
    if (fault.action == "kill" || fault.action == "zone_outage") {
      kill(instance, world);
    } else if (fault.action == "hang" && instance.is_alive && !instance.is_hung) {
      instance.is_hung = true;  // workers freeze where they are: what they hold stays in flight
      world.log().add(clock().now(), id(), "instance " + std::to_string(instance.id) + " hangs");
    } else if (fault.action == "recover") {
      recover(instance);
    }
  }
}

void Consumers::instance_ready(World& world)
{
  add_instance(world);
}

void Consumers::retire_instance(World& world)
{
  for (auto it = instances_.rbegin(); it != instances_.rend(); ++it) {
    if (!it->is_alive || it->is_retiring)
      continue;
    it->is_retiring = true;
    in_service_.add(clock().now(), -1);
    in_service_min_ = std::min(in_service_min_, in_service_.level());
    world.log().add(clock().now(), id(), "instance " + std::to_string(it->id) + " retiring: it finishes what it holds");
    for (auto worker : it->workers)
      if (!workers_[worker].is_busy && !it->is_hung)
        stop_worker(worker);
    return;
  }
}

std::size_t Consumers::instances_in_service() const
{
  return static_cast<std::size_t>(in_service_.level());
}

std::vector<InstanceReading> Consumers::readings(double now_s) const
{
  std::vector<InstanceReading> result;
  for (const auto& instance : instances_)
    if (instance.is_alive && !instance.is_retiring)
      result.push_back({instance.id, instance.busy.lifetime_area_until(now_s) / workers_per_instance_, instance.messages});
  return result;
}

void Consumers::add_summary(nlohmann::json& summary, double end_s) const
{
  summary["requests"] = stats_.counts().arrivals;
  summary["polls"] = polls_;
  summary["empty_polls"] = empty_polls_;
  summary["executions"] = executions_;
  summary["errors"] = errors_;
  summary["crashes"] = crashes_;
  if (scaling_) {
    scaling_->add_summary(summary, end_s);
    return;
  }
  summary["instances"] = {{"min", in_service_min_},
                          {"max", in_service_max_},
                          {"mean", end_s > 0 ? in_service_.lifetime_area_until(end_s) / end_s : in_service_.level()},
                          {"at_end", in_service_.level()}};
}

void Consumers::add_billing(std::vector<BillingLine>& lines, double end_s) const
{
  double hours = scaling_ ? scaling_->instance_hours(end_s) : in_service_.lifetime_area_until(end_s) / 3600;
  lines.push_back({"ec2." + instance_type_ + ".hour", hours});
}

}  // namespace archlab
