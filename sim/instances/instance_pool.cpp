#include "sim/instances/instance_pool.hpp"

#include "sim/core/fault_plan.hpp"
#include "sim/core/world.hpp"
#include "sim/scaling/auto_scaling_group.hpp"

#include <algorithm>

namespace archlab {

InstancePool::InstancePool(const std::string& owner_id, const nlohmann::json& params, InstanceKind kind, int workers_per_instance,
                           InstanceOwner& owner, World& world)
    : owner_id_(owner_id), kind_(std::move(kind)), workers_per_instance_(workers_per_instance), owner_(owner), world_(world)
{
  if (params.contains("zones"))
    zones_ = params.at("zones").get<std::vector<std::string>>();
  else if (params.contains("zone"))
    zones_ = {params.at("zone").get<std::string>()};
  initial_ = params.value("instances", 1);
  if (params.contains("image_pull"))
    image_pull_ = read_image_pull(params.at("image_pull"));
  deployment_rule_ = read_deployment_rule(params);
  if (params.contains("account_vcpu_quota") && !params.at("account_vcpu_quota").is_null()) {
    account_ = &world.side_table<VcpuAccount>();
    account_->quota_vcpus = params.at("account_vcpu_quota").get<double>();  // the same for all (validation)
    account_->pools.push_back(this);
  }
  if (params.contains("scaling")) {
    group_ = std::make_unique<AutoScalingGroup>(owner_id, params.at("scaling"), *this, world, kind_.bills_failed_launches);
    initial_ = group_->initial_instances();
  }
}

InstancePool::~InstancePool() = default;

double InstancePool::now() const
{
  return world_.now();
}

void InstancePool::add_initial_instances()
{
  for (int i = 0; i < initial_; ++i)
    add(false, initial_zone(zones_, instances_.size()));
  in_service_min_ = in_service_.level();
}

void InstancePool::connect(World& world)
{
  if (image_pull_)
    for (const auto& [zone, through] : image_pull_->through_by_zone)
      egress_by_zone_[zone] = dynamic_cast<Egress*>(&world.component(through));  // validation made sure it is one
  if (group_)
    group_->connect(world);
}

void InstancePool::start(World& world)
{
  if (group_)
    group_->start(world);
}

void InstancePool::change_in_service(double delta)
{
  in_service_.add(now(), delta);
  in_service_min_ = std::min(in_service_min_, in_service_.level());
  in_service_max_ = std::max(in_service_max_, in_service_.level());
}

void InstancePool::add(bool is_launched, std::string zone)
{
  PooledInstance instance;
  instance.index = instances_.size();
  instance.zone = std::move(zone);
  instance.revision = revision_;
  instance.is_healthy = !is_launched || !waits_for_health_checks_;
  instances_.push_back(std::move(instance));
  change_in_service(1);
  billed_.add(now(), 1);
  owner_.instance_changed(instances_.back(), is_launched ? InstanceChange::launched : InstanceChange::added, world_);
}

std::string InstancePool::next_launch_zone() const
{
  std::vector<std::string> in_service_zones;
  for (const auto& other : instances_)
    if (other.takes_work())
      in_service_zones.push_back(other.zone);
  return launch_zone(zones_, zones_down_, in_service_zones);
}

// A task whose zone has no working path to the registry never starts; the group tries again.
bool InstancePool::can_pull_image(const std::string& zone)
{
  auto found = egress_by_zone_.find(zone);
  if (found == egress_by_zone_.end() || found->second == nullptr || !found->second->carries_from(zone))
    return false;
  found->second->carry(image_pull_->image_bytes);
  return true;
}

double VcpuAccount::running_vcpus() const
{
  double total = 0;
  for (const auto* pool : pools)
    total += pool->running_vcpus();
  return total;
}

double InstancePool::running_vcpus() const
{
  double running = 0;
  for (const auto& instance : instances_)
    if (instance.is_running())
      running += kind_.vcpus;
  return running;
}

LaunchOutcome InstancePool::instance_ready(World&)
{
  if (account_ && account_->running_vcpus() + kind_.vcpus > *account_->quota_vcpus + 1e-9)
    return LaunchOutcome::over_quota;
  auto zone = next_launch_zone();
  if (image_pull_ && !can_pull_image(zone))
    return LaunchOutcome::image_pull_failed;
  add(true, std::move(zone));
  return LaunchOutcome::ready;
}

void InstancePool::retire_instance(World& world)
{
  std::vector<Life> lives;
  lives.reserve(instances_.size());
  for (const auto& instance : instances_)
    lives.push_back(instance.life);
  auto chosen = instance_to_retire(lives);
  if (!chosen)
    return;
  PooledInstance& instance = instances_[*chosen];
  instance.life = Life::retiring;
  change_in_service(-1);
  owner_.instance_changed(instance, InstanceChange::retiring, world);
}

void InstancePool::finish_retirement(PooledInstance& instance)
{
  if (instance.life != Life::retiring)
    return;
  instance.life = Life::terminated;
  billed_.add(now(), -1);
  if (group_)
    group_->fleet_changed(world_);
}

void InstancePool::passed_health_check(PooledInstance& instance, World& world)
{
  if (instance.is_healthy)
    return;
  instance.is_healthy = true;
  if (group_)
    group_->fleet_changed(world);
}

RevisionCounts InstancePool::revision_counts() const
{
  RevisionCounts counts;
  for (const auto& instance : instances_) {
    bool is_old = instance.revision < revision_;
    if (instance.takes_work() && !is_old && !instance.is_healthy)
      ++counts.new_unproven;
    else if (instance.takes_work())
      ++(is_old ? counts.old_in_service : counts.new_in_service);
    else if (instance.life == Life::retiring && is_old)
      ++counts.old_retiring;
  }
  return counts;
}

void InstancePool::retire_old_instance(World& world)
{
  for (auto& instance : instances_)  // oldest first: launch order
    if (instance.takes_work() && instance.revision < revision_) {
      instance.life = Life::retiring;
      change_in_service(-1);
      owner_.instance_changed(instance, InstanceChange::retiring, world);
      return;
    }
}

void InstancePool::replace_unhealthy(PooledInstance& instance, World& world, bool whatever_the_group_says)
{
  if (!group_ || !instance.is_running() || !(whatever_the_group_says || group_->replaces_unhealthy()))
    return;
  world.log().add(world.now(), owner_id_, "ELB health check: " + kind_.name + " " + std::to_string(instance.index) +
                                              " marked unhealthy by its load balancer; terminating it");
  kill(instance, world);
}

void InstancePool::kill(PooledInstance& instance, World& world)
{
  if (!instance.is_running())
    return;
  bool was_in_service = instance.takes_work();
  // In an Auto Scaling group a stopped instance is terminated, never restarted.
  instance.life = group_ ? Life::terminated : Life::down;
  instance.is_hung = false;
  if (was_in_service)
    change_in_service(-1);
  if (instance.is_gone())
    billed_.add(now(), -1);
  owner_.instance_changed(instance, InstanceChange::stopped, world);
  if (group_ && was_in_service)
    group_->instance_lost(world);  // a retiring instance was already counted out of the group
  owner_.instance_changed(instance, InstanceChange::loss_reported, world);
}

void InstancePool::hang(PooledInstance& instance, World& world)
{
  if (!instance.is_running() || instance.is_hung)
    return;
  instance.is_hung = true;
  owner_.instance_changed(instance, InstanceChange::hung, world);
}

void InstancePool::recover(PooledInstance& instance, World& world)
{
  if (instance.is_gone())
    return;  // terminated: the group has replaced it
  if (instance.is_hung) {
    instance.is_hung = false;
    owner_.instance_changed(instance, InstanceChange::unhung, world);
  }
  owner_.instance_changed(instance, InstanceChange::recovering, world);
  if (instance.is_running())
    return;
  instance.life = Life::in_service;
  instance.down_with_zone.clear();
  change_in_service(1);
  owner_.instance_changed(instance, InstanceChange::recovered, world);
}

void InstancePool::apply_zone_fault(const FaultEvent& fault, World& world)
{
  if (fault.action == "zone_outage") {
    zones_down_.insert(fault.zone);
    for (std::size_t i = 0; i < instances_.size(); ++i) {  // by index: a kill may launch (and add) a replacement
      PooledInstance& instance = instances_[i];
      if (instance.zone != fault.zone || !instance.is_running())
        continue;
      instance.down_with_zone = fault.zone;
      kill(instance, world);
    }
    return;
  }
  zones_down_.erase(fault.zone);
  for (std::size_t i = 0; i < instances_.size(); ++i)
    if (instances_[i].down_with_zone == fault.zone)
      recover(instances_[i], world);
}

void InstancePool::apply_fault(const FaultEvent& fault, World& world)
{
  if (fault.action == "zone_outage" || (fault.action == "recover" && !fault.zone.empty())) {
    apply_zone_fault(fault, world);
    return;
  }
  if (fault.target.empty())
    return;
  if (fault.action == "deploy") {
    if (group_)  // validation made sure there is one
      group_->deploy(deployment_rule_, world);
    return;
  }
  if (fault.instance >= static_cast<int>(instances_.size())) {
    world.log().add(now(), owner_id_, "fault '" + fault.action + "' on " + kind_.name + " " + std::to_string(fault.instance) + ": no such " +
                                          kind_.name + " (yet)");
    return;
  }
  std::size_t count = instances_.size();  // instances launched by this fault (replacements) are not hit
  for (std::size_t i = 0; i < count; ++i) {
    if (fault.instance >= 0 && static_cast<int>(i) != fault.instance)
      continue;
    PooledInstance& instance = instances_[i];
    if (fault.action == "kill")
      kill(instance, world);
    else if (fault.action == "recover")
      recover(instance, world);
    else if (fault.action == "hang")
      hang(instance, world);
    else if (instance.is_running())
      owner_.instance_fault(instance, fault, world);
  }
}

std::vector<InstanceReading> InstancePool::readings(double now_s) const
{
  std::vector<InstanceReading> result;
  for (const auto& instance : instances_) {
    if (!instance.takes_work())
      continue;
    double busy_s = 0;
    if (!reads_cpu_model_)
      busy_s = instance.busy.lifetime_area_until(now_s) / workers_per_instance_;
    else if (instance.cpu_host)
      busy_s = world_.compute()->busy_s(*instance.cpu_host);
    result.push_back({instance.index, busy_s, instance.requests});
  }
  return result;
}

void InstancePool::add_group_summary(nlohmann::json& summary, double end_s) const
{
  group_->add_summary(summary, end_s);
}

void InstancePool::add_summary(nlohmann::json& summary, double end_s) const
{
  if (group_) {
    add_group_summary(summary, end_s);
    return;
  }
  summary["instances"] = {{"min", in_service_min_},
                          {"max", in_service_max_},
                          {"mean", end_s > 0 ? in_service_.lifetime_area_until(end_s) / end_s : in_service_.level()},
                          {"at_end", in_service_.level()}};
}

BillingLine InstancePool::billing(double end_s) const
{
  return {kind_.billing_item, group_ ? group_->instance_hours(end_s) : billed_.lifetime_area_until(end_s) / 3600};
}

}  // namespace archlab
