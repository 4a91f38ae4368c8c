// An EC2 Auto Scaling group with the CloudWatch metrics and alarms its policies read, for any
// component whose instances it manages through the Fleet interface (services, consumers). It keeps
// desired capacity within min..max, launches (pending for launch_time_s, then InService and warming
// up), retires on scale-in and replaces instances that stop running. Every minute it samples and
// evaluates alarms; the decisions themselves are pure (scaling_policy.hpp, cloudwatch.hpp,
// fleet_metrics.hpp). Behaviour follows docs/aws-facts.md §3.
#pragma once

#include "sim/core/parameters.hpp"
#include "sim/metrics/station_stats.hpp"
#include "sim/scaling/cloudwatch.hpp"
#include "sim/scaling/deployment.hpp"
#include "sim/scaling/fleet.hpp"
#include "sim/scaling/fleet_metrics.hpp"
#include "sim/scaling/scaling_policy.hpp"

#include <deque>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace archlab {

class World;
class Component;

class AutoScalingGroup {
public:
  static ParamSpec scaling_param();  // the optional "scaling" object of services and consumers
  // Checks across fields (min ≤ desired ≤ max, what each policy type needs); `path` names the object.
  static void check(const nlohmann::json& scaling, const std::string& path, std::vector<Problem>& problems);

  // `bills_failed_launches`: EC2 bills a launch from its start whatever comes of it; Fargate bills
  // only the tasks that start (from their launch).
  AutoScalingGroup(std::string owner_id, const nlohmann::json& scaling /*validated*/, Fleet& fleet, World& world,
                   bool bills_failed_launches = true);
  int initial_instances() const { return initial_; }  // the owner creates these, InService from the start
  bool replaces_unhealthy() const { return replaces_unhealthy_; }  // health_check_type elb
  void connect(World& world);                          // finds the queues policies read
  void start(World& world);                            // the minute ticks: metric periods and alarm evaluations
  void instance_lost(World& world);                    // an instance stopped running: EC2 health check → replace it
  void fleet_changed(World& world);                    // an instance drained and went, or passed its first health check
  void deploy(const DeploymentRule& rule, World& world);  // a rolling update to a new revision (deployment.hpp)
  void add_summary(nlohmann::json& figures, double end_s) const;  // "instances" and "scaling"
  double instance_hours(double end_s) const;           // billed from launch (pending included) to termination

private:
  struct Policy {
    ScalingPolicy rule;
    MetricSeries series;
    const Component* queue = nullptr;  // whose visible_messages signal it reads
  };

  static std::vector<ScalingPolicy> read_policies(const nlohmann::json& scaling);  // scaling_params.cpp

  void tick(World& world);
  void close_period(double now_s);
  std::optional<Proposal> propose(const Policy& policy, const Capacity& capacity, double now_s) const;
  void apply(const Decision& decision, World& world);
  void launch(int count, World& world);
  void complete_launches(World& world);
  void launch_failed(LaunchOutcome outcome, World& world);  // launched again, after the same launch time
  void retire(int count, World& world);
  void change_in_service(int delta, double now_s);
  void step_deployment(World& world);

  std::string owner_id_;
  Fleet& fleet_;
  std::string path_;
  bool replaces_unhealthy_ = false;  // where the scaling object sits in the model, for error messages
  int min_ = 0;
  int max_ = 0;
  int initial_ = 0;
  int desired_ = 0;
  double launch_time_s_ = 0;
  double period_s_ = 60;
  std::vector<Policy> policies_;
  FleetMetrics metrics_;
  std::deque<double> pending_ready_s_;  // launched instances, by the time they go InService
  int in_service_ = 0;
  std::uint64_t ticks_ = 0;
  double simple_blocked_until_s_ = 0;
  bool is_refusing_ = false;
  bool has_logged_quota_ = false;  // in a streak of refused scale-outs: logged once, counted every time
  TimeWeighted in_service_level_;
  TimeWeighted billed_level_;  // pending (if failed launches are billed) + InService
  bool bills_failed_launches_ = true;
  double started_launches_s_ = 0;  // otherwise: the launch time of each launch that started, billed once it has
  int in_service_min_ = 0;
  int in_service_max_ = 0;
  std::uint64_t scale_outs_ = 0, scale_ins_ = 0, launched_ = 0, retired_ = 0, replaced_ = 0, refused_at_max_ = 0, launch_failures_ = 0;
  // The deployment under way, if any; a step can retire an instance that goes at once, which asks
  // for the next step from inside this one: it runs after, not nested.
  std::optional<DeploymentRule> deployment_;
  double deployment_started_s_ = 0;
  bool is_stepping_ = false, needs_step_ = false, has_logged_stuck_ = false;
  std::uint64_t deployments_ = 0, deployments_completed_ = 0, deployment_stops_ = 0;
  std::optional<double> last_deployment_s_;
};

}  // namespace archlab
