// Instances of a service coming and going: launched and retired by the Auto Scaling group, killed,
// hung, slowed, failing or cut off with their zone by faults.
#include "sim/components/service/service.hpp"

#include "sim/components/service/service_instance.hpp"
#include "sim/core/world.hpp"
#include "sim/core/fault_plan.hpp"
#include "sim/scaling/auto_scaling_group.hpp"

#include <algorithm>
#include <cstdio>
#include <map>

namespace archlab {

namespace {
std::string number(double value)
{
  char text[32];
  std::snprintf(text, sizeof text, "%g", value);
  return text;
}
}  // namespace

std::string Service::zone_for(std::size_t index, bool is_launched) const
{
  if (zones_.empty())
    return "";
  if (!is_launched)
    return zones_[index % zones_.size()];
  // Auto Scaling launches into the zone with the fewest instances, avoiding zones that are down.
  std::map<std::string, int> running;
  for (const auto& instance : instances_)
    if (instance->takes_work())
      ++running[instance->zone];
  std::string best;
  int best_count = 0;
  bool best_is_down = true;
  for (const auto& zone : zones_) {
    bool is_down = zones_down_.count(zone) > 0;
    int count = running[zone];
    if (best.empty() || (best_is_down && !is_down) || (is_down == best_is_down && count < best_count)) {
      best = zone;
      best_count = count;
      best_is_down = is_down;
    }
  }
  return best;
}

void Service::add_instance(double now_s, bool is_launched)
{
  std::size_t index = instances_.size();
  auto instance = std::make_unique<Instance>(*this, index);
  instance->zone = zone_for(index, is_launched);
  for (int w = concurrency_ - 1; w >= 0; --w)
    instance->free_workers.push_back(static_cast<std::size_t>(w));
  instances_.push_back(std::move(instance));
  workers_.resize(instances_.size() * static_cast<std::size_t>(concurrency_));
  stats_.capacity.add(now_s, concurrency_);
}

void Service::instance_ready(World& world)
{
  add_instance(clock().now(), true);
  Instance& instance = *instances_.back();
  world.log().add(clock().now(), id(), instance.endpoint_name() + " InService" + (instance.zone.empty() ? "" : " in " + instance.zone));
  for (auto* listener : listeners_)
    listener->target_registered(instance, world);
  serve_waiting(instance);
}

void Service::retire_instance(World& world)
{
  // The newest instance taking work goes (what the Fleet interface promises).
  for (auto it = instances_.rbegin(); it != instances_.rend(); ++it) {
    Instance& instance = **it;
    if (!instance.takes_work())
      continue;
    world.log().add(clock().now(), id(), instance.endpoint_name() + " retiring: finishes the " +
                                     std::to_string(instance.busy_workers + instance.line.size()) + " requests it holds, takes no new ones");
    stop_taking_work(instance, world);
    instance.is_retiring = true;
    if (instance.is_idle())
      finish_retirement(instance);
    return;
  }
}

void Service::finish_retirement(Instance& instance)
{
  instance.is_alive = false;
  instance.is_gone = true;
  stats_.capacity.add(clock().now(), -concurrency_);
  world_.log().add(clock().now(), id(), instance.endpoint_name() + " terminated (scale-in)");
}

std::size_t Service::instances_in_service() const
{
  return static_cast<std::size_t>(std::count_if(instances_.begin(), instances_.end(), [](const auto& i) { return i->takes_work(); }));
}

std::vector<InstanceReading> Service::readings(double now_s) const
{
  std::vector<InstanceReading> result;
  for (const auto& instance : instances_)
    if (instance->takes_work())
      result.push_back({instance->index(), instance->busy.lifetime_area_until(now_s) / concurrency_, instance->requests});
  return result;
}

void Service::stop_taking_work(Instance& instance, World& world)
{
  for (auto* listener : listeners_)
    listener->target_deregistered(instance, world);
}

void Service::kill(Instance& instance, World& world)
{
  if (!instance.is_alive)
    return;
  double now_s = clock().now();
  bool was_in_service = instance.takes_work();
  instance.is_alive = false;
  instance.is_hung = false;
  stats_.capacity.add(now_s, -concurrency_);
  std::vector<Call> broken;
  for (int w = 0; w < concurrency_; ++w) {
    Worker& worker = workers_[instance.index() * concurrency_ + w];
    ++worker.generation;
    if (worker.is_busy) {
      worker.is_busy = false;
      stats_.busy.add(now_s, -1);
      stats_.finish(0, false);
      broken.push_back(worker.call);
    }
  }
  instance.busy.set(now_s, 0);
  instance.busy_workers = 0;
  instance.free_workers.clear();
  for (const auto& waiting : instance.line) {
    stats_.finish(0, false);
    broken.push_back(waiting.call);
  }
  stats_.waiting.add(now_s, -static_cast<double>(instance.line.size()));
  instance.line.clear();
  if (!has_instance_taking_work()) {  // nobody left to serve the shared line
    for (const auto& waiting : shared_line_) {
      stats_.finish(0, false);
      broken.push_back(waiting.call);
    }
    stats_.waiting.add(now_s, -static_cast<double>(shared_line_.size()));
    shared_line_.clear();
  }
  world.log().add(now_s, id(), instance.endpoint_name() + " killed: " + std::to_string(broken.size()) + " requests in progress failed");
  if (scaling_) {
    // In an Auto Scaling group a stopped instance is terminated (and deregistered), never restarted.
    instance.is_gone = true;
    if (was_in_service) {
      stop_taking_work(instance, world);
      scaling_->instance_lost(world);
    }
  }
  for (const auto& call : broken)
    call.caller->on_answer(call, Outcome::failed);
}

void Service::recover(Instance& instance, World& world)
{
  if (instance.is_gone)
    return;  // terminated: the group has replaced it
  if (instance.is_hung)
    end_hang(instance, world);
  if (instance.slow_factor != 1 || instance.failure_probability > 0)
    world.log().add(clock().now(), id(), instance.endpoint_name() + " back to normal (no longer slow or failing)");
  instance.slow_factor = 1;
  instance.failure_probability = 0;
  if (instance.is_alive)
    return;
  instance.is_alive = true;
  instance.down_with_zone.clear();
  stats_.capacity.add(clock().now(), concurrency_);
  world.log().add(clock().now(), id(), instance.endpoint_name() + " recovered");
  for (int w = concurrency_ - 1; w >= 0; --w)
    instance.free_workers.push_back(static_cast<std::size_t>(w));
  serve_waiting(instance);
}

void Service::hang(Instance& instance, World& world)
{
  if (!instance.is_alive || instance.is_hung)
    return;
  instance.is_hung = true;
  for (int w = 0; w < concurrency_; ++w)
    ++workers_[instance.index() * concurrency_ + w].generation;  // work in progress never ends
  world.log().add(clock().now(), id(), instance.endpoint_name() + " hangs: it accepts work and finishes none (" +
                                   std::to_string(instance.busy_workers) + " requests stuck)");
}

void Service::end_hang(Instance& instance, World& world)
{
  // The stuck process is restarted: what it held, and what waited for it, is lost.
  double now_s = clock().now();
  instance.is_hung = false;
  std::vector<Call> broken;
  for (int w = 0; w < concurrency_; ++w) {
    Worker& worker = workers_[instance.index() * concurrency_ + w];
    if (!worker.is_busy)
      continue;
    ++worker.generation;
    worker.is_busy = false;
    stats_.busy.add(now_s, -1);
    --instance.busy_workers;
    instance.busy.add(now_s, -1);
    stats_.finish(0, false);
    broken.push_back(worker.call);
    instance.free_workers.push_back(static_cast<std::size_t>(w));
  }
  // Its waiting line was the dead process's listen queue: those connections are reset too.
  for (const auto& waiting : instance.line) {
    stats_.finish(0, false);
    broken.push_back(waiting.call);
  }
  stats_.waiting.add(now_s, -static_cast<double>(instance.line.size()));
  instance.line.clear();
  world.log().add(now_s, id(), instance.endpoint_name() + " no longer hangs (process restarted): " + std::to_string(broken.size()) +
                                   " stuck requests failed");
  serve_waiting(instance);
  if (instance.is_retiring && instance.is_idle())
    finish_retirement(instance);
  for (const auto& call : broken)
    call.caller->on_answer(call, Outcome::failed);
}

void Service::apply_zone_fault(const FaultEvent& fault, World& world)
{
  if (fault.action == "zone_outage") {
    zones_down_.insert(fault.zone);
    for (std::size_t i = 0; i < instances_.size(); ++i) {  // by index: a kill may launch (and add) a replacement
      Instance& instance = *instances_[i];
      if (instance.zone != fault.zone || !instance.is_alive)
        continue;
      instance.down_with_zone = fault.zone;
      kill(instance, world);
    }
    return;
  }
  zones_down_.erase(fault.zone);
  for (std::size_t i = 0; i < instances_.size(); ++i)
    if (instances_[i]->down_with_zone == fault.zone)
      recover(*instances_[i], world);
}

void Service::apply_fault(const FaultEvent& fault, World& world)
{
  if (fault.action == "zone_outage" || (fault.action == "recover" && !fault.zone.empty())) {
    apply_zone_fault(fault, world);
    return;
  }
  if (fault.target.empty())
    return;
  if (fault.instance >= static_cast<int>(instances_.size())) {
    world.log().add(clock().now(), id(), "fault '" + fault.action + "' on instance " + std::to_string(fault.instance) + ": no such instance (yet)");
    return;
  }
  std::size_t count = instances_.size();  // instances launched by this fault (replacements) are not hit
  for (std::size_t i = 0; i < count; ++i) {
    if (fault.instance >= 0 && static_cast<int>(i) != fault.instance)
      continue;
    Instance& instance = *instances_[i];
    if (fault.action == "kill")
      kill(instance, world);
    else if (fault.action == "recover")
      recover(instance, world);
    else if (fault.action == "hang")
      hang(instance, world);
    else if (fault.action == "slow" && instance.is_alive) {
      instance.slow_factor = fault.latency_factor;
      world.log().add(clock().now(), id(), instance.endpoint_name() + " slow: work takes " + number(fault.latency_factor) + " times longer");
    } else if (fault.action == "fail" && instance.is_alive) {
      instance.failure_probability = fault.failure_probability;
      world.log().add(clock().now(), id(), instance.endpoint_name() + " fails a share " + number(fault.failure_probability) + " of its requests");
    }
  }
}

}  // namespace archlab
