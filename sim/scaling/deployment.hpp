// An ECS rolling update (DeploymentConfiguration): the scheduler starts tasks of the new revision
// and stops old ones, never with fewer healthy tasks than minimum_healthy_percent of the desired
// count nor more running than maximum_percent of it. The decision is pure: the state in, the tasks
// to start and to stop out. AWS rounds the minimum up and the maximum down.
#pragma once

#include "sim/core/parameters.hpp"

namespace archlab {

struct DeploymentRule {
  double minimum_healthy_percent = 100;  // ECS default for a replica service
  double maximum_percent = 200;          // ECS default
};

struct DeploymentState {
  int desired = 0;
  int old_in_service = 0;  // old revision, still taking traffic
  int old_draining = 0;    // old revision, deregistered, finishing what it holds: still running
  int new_in_service = 0;  // new revision, healthy
  int new_pending = 0;     // new revision, starting (or started, not yet through a health check)
};

struct DeploymentStep {
  int start = 0;     // new tasks to launch now
  int stop_old = 0;  // old tasks to deregister (they drain, then stop)
};

int minimum_healthy_tasks(const DeploymentRule& rule, int desired);
int maximum_running_tasks(const DeploymentRule& rule, int desired);
DeploymentStep next_deployment_step(const DeploymentRule& rule, const DeploymentState& state);
bool is_deployment_done(const DeploymentState& state);
// Nothing to start, nothing to stop, nothing under way, not done: the limits leave no room (e.g. a
// desired count of 1 with 50 % and 150 %: at least 1 healthy, at most 1 running).
bool is_deployment_stuck(const DeploymentRule& rule, const DeploymentState& state);

ParamSpec deployment_param();  // the "deployment" object of a container service
DeploymentRule read_deployment_rule(const nlohmann::json& params /*validated component*/);

}  // namespace archlab
