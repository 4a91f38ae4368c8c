// The instances a component runs on, and their life: there from the start or launched by an Auto
// Scaling group (sim/scaling/), InService, hung by a fault and back, retiring on scale-in, killed
// (a group terminates and replaces it; without one it waits for a recovery), cut off with their
// zone; placed in zones; billed by the hour; read by the group as busy time and requests.
//
// The owner (a service's web servers, consumers' worker loops) keeps what is its own per instance
// and hears every transition through InstanceOwner. What the instances are (an EC2 instance, later
// an ECS task or a Lambda execution environment) and the line they are billed on are data.
#pragma once

#include "sim/core/component.hpp"
#include "sim/instances/image_pull.hpp"
#include "sim/instances/instance_rules.hpp"
#include "sim/metrics/station_stats.hpp"
#include "sim/platform/compute.hpp"
#include "sim/scaling/deployment.hpp"
#include "sim/scaling/fleet.hpp"

#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

namespace archlab {

class AutoScalingGroup;
class World;
struct FaultEvent;

struct InstanceKind {
  std::string name;          // one of them, as the log says it: "instance" (EC2), later "task" (ECS)
  std::string billing_item;  // the bill's line for one of them for an hour: "ec2.t3.micro.hour"
  double vcpus = 0;          // what one counts against an account's vCPU quota (Fargate)
  // EC2 bills an instance from its launch, whether or not it comes up; Fargate bills a task that
  // starts from the start of its image pull (here: its launch), and one that never starts not at all.
  bool bills_failed_launches = true;
};

class InstancePool;

// The account's Fargate On-Demand vCPU quota in the Region: every pool counted against it shares it
// (a World side table).
struct VcpuAccount {
  std::optional<double> quota_vcpus;
  std::vector<const InstancePool*> pools;
  double running_vcpus() const;
};

struct PooledInstance {
  std::size_t index = 0;  // launch order, stable: the id the group's readings carry
  int revision = 0;       // the deployment it was launched in (0: the first)
  std::string zone;
  Life life = Life::in_service;
  bool is_hung = false;         // accepts work, finishes none
  bool is_healthy = true;       // behind a load balancer: launched, it counts as healthy once a check has passed
  std::string down_with_zone;   // the zone outage that took it (that zone's recovery brings it back)
  TimeWeighted busy;            // busy workers over time: the CPU figure the group reads
  std::uint64_t requests = 0;   // requests (or messages) it has taken
  std::optional<Compute::HostId> cpu_host;  // where its CPU work runs, once it has a host (sim/platform/)

  bool takes_work() const { return life == Life::in_service; }
  bool is_running() const { return life == Life::in_service || life == Life::retiring; }
  bool is_gone() const { return life == Life::terminated; }
};

// What the owner hears, each after the pool has changed the instance's state.
enum class InstanceChange : std::uint8_t {
  added,          // there from the start
  launched,       // launched by the group, now InService
  retiring,       // scale-in chose it: the owner calls finish_retirement once it holds nothing
  stopped,        // killed or cut off with its zone (terminated, in a group): what it held is lost
  loss_reported,  // after `stopped`, once the group has heard (and asked for a replacement)
  hung,           // it accepts work and finishes none
  unhung,         // a recovery restarted its frozen process: what the process held is lost
  recovering,     // a recovery reached it (it may carry faults of the owner's own: slow, fail)
  recovered,      // it was down and runs again
};

class InstanceOwner {
public:
  virtual ~InstanceOwner() = default;
  virtual void instance_changed(PooledInstance& instance, InstanceChange change, World& world) = 0;
  // A fault action the pool leaves to the owner, on a running instance.
  virtual void instance_fault(PooledInstance&, const FaultEvent&, World&) {}
};

class InstancePool final : public Fleet {
public:
  // `params` (validated) may hold `instances`, `zones` (or `zone`) and `scaling`.
  InstancePool(const std::string& owner_id, const nlohmann::json& params, InstanceKind kind, int workers_per_instance,
               InstanceOwner& owner, World& world);
  ~InstancePool() override;

  void add_initial_instances();  // InService from the start
  void connect(World& world);
  void start(World& world);
  // The owner does CPU work on its instances' hosts: from now on an instance's busy reading is its
  // host's CPU utilisation from SimGrid (none before its host exists), not its share of busy
  // workers, which would read 8 workers waiting on 2 vCPUs as 100% whatever the CPU does.
  void reads_cpu_model() { reads_cpu_model_ = true; }

  // kill, hang, recover and zone_outage (and its recovery); other actions go to instance_fault.
  void apply_fault(const FaultEvent& fault, World& world);
  // Its load balancer failed it: a group that goes by ELB health checks terminates and replaces it.
  void replace_unhealthy(PooledInstance& instance, World& world, bool whatever_the_group_says);
  void finish_retirement(PooledInstance& instance);
  // Behind a load balancer a launched instance is healthy only once it has passed a check, which is
  // what a deployment waits for before it stops an old one.
  void waits_for_health_checks() { waits_for_health_checks_ = true; }
  void passed_health_check(PooledInstance& instance, World& world);

  std::size_t size() const { return instances_.size(); }
  PooledInstance& at(std::size_t index) { return instances_[index]; }
  const PooledInstance& at(std::size_t index) const { return instances_[index]; }
  bool has_group() const { return group_ != nullptr; }
  const InstanceKind& kind() const { return kind_; }
  bool has_instance_taking_work() const { return in_service_.level() > 0; }
  double running_vcpus() const;

  // The group's "instances" and "scaling"; without one, the in-service count's min, max, mean, at_end.
  void add_summary(nlohmann::json& summary, double end_s) const;
  void add_group_summary(nlohmann::json& summary, double end_s) const;
  // Billed from launch to termination (a group bills its pending launches too).
  BillingLine billing(double end_s) const;

  // Fleet: what the group drives
  LaunchOutcome instance_ready(World& world) override;
  void retire_instance(World& world) override;
  std::size_t instances_in_service() const override { return static_cast<std::size_t>(in_service_.level()); }
  std::vector<InstanceReading> readings(double now_s) const override;
  void begin_revision() override { ++revision_; }
  RevisionCounts revision_counts() const override;
  void retire_old_instance(World& world) override;

private:
  void add(bool is_launched, std::string zone);
  bool can_pull_image(const std::string& zone);
  std::string next_launch_zone() const;
  void kill(PooledInstance& instance, World& world);
  void hang(PooledInstance& instance, World& world);
  void recover(PooledInstance& instance, World& world);
  void apply_zone_fault(const FaultEvent& fault, World& world);
  void change_in_service(double delta);
  double now() const;

  std::string owner_id_;
  InstanceKind kind_;
  int workers_per_instance_;
  InstanceOwner& owner_;
  World& world_;
  int initial_ = 0;
  std::vector<std::string> zones_;
  std::set<std::string> zones_down_;
  std::optional<ImagePullRoutes> image_pull_;
  std::map<std::string, Egress*> egress_by_zone_;
  std::deque<PooledInstance> instances_;  // stable addresses, in launch order, never removed
  std::unique_ptr<AutoScalingGroup> group_;
  DeploymentRule deployment_rule_;  // what a deploy fault rolls out with
  int revision_ = 0;
  bool waits_for_health_checks_ = false;
  VcpuAccount* account_ = nullptr;  // counted against the account's vCPU quota, if it has one
  TimeWeighted in_service_;
  double in_service_min_ = 0;
  double in_service_max_ = 0;
  TimeWeighted billed_;  // instances not yet terminated
  bool reads_cpu_model_ = false;
};

}  // namespace archlab
