#include "sim/scaling/deployment.hpp"

#include <algorithm>
#include <cmath>

namespace archlab {

int minimum_healthy_tasks(const DeploymentRule& rule, int desired)
{
  return static_cast<int>(std::ceil(desired * rule.minimum_healthy_percent / 100 - 1e-9));
}

int maximum_running_tasks(const DeploymentRule& rule, int desired)
{
  return static_cast<int>(std::floor(desired * rule.maximum_percent / 100 + 1e-9));
}

DeploymentStep next_deployment_step(const DeploymentRule& rule, const DeploymentState& state)
{
  int healthy = state.old_in_service + state.new_in_service;
  int running = state.old_in_service + state.old_draining + state.new_in_service + state.new_pending;
  DeploymentStep step;
  step.stop_old = std::clamp(healthy - minimum_healthy_tasks(rule, state.desired), 0, state.old_in_service);
  int new_wanted = state.desired - state.new_in_service - state.new_pending;
  step.start = std::clamp(maximum_running_tasks(rule, state.desired) - running, 0, std::max(new_wanted, 0));
  return step;
}

bool is_deployment_done(const DeploymentState& state)
{
  return state.old_in_service == 0 && state.old_draining == 0 && state.new_pending == 0 && state.new_in_service >= state.desired;
}

bool is_deployment_stuck(const DeploymentRule& rule, const DeploymentState& state)
{
  auto step = next_deployment_step(rule, state);
  return step.start == 0 && step.stop_old == 0 && state.old_draining == 0 && state.new_pending == 0 && !is_deployment_done(state);
}

ParamSpec deployment_param()
{
  return object_param(
      "deployment",
      {number_param("minimum_healthy_percent", "", 100,
                    "minimumHealthyPercent: during a deployment, healthy tasks never fall below this share of the desired count, rounded "
                    "up (ECS default 100)")
           .at_least(0)
           .at_most(100),
       number_param("maximum_percent", "", 200,
                    "maximumPercent: running tasks (starting, healthy and draining) never exceed this share of the desired count, rounded "
                    "down (ECS default 200; this model takes 100 to 400)")
           .at_least(100)
           .at_most(400)},
      "the rolling update a deploy fault starts: new tasks launched, old ones deregistered, drained and stopped, within these limits");
}

DeploymentRule read_deployment_rule(const nlohmann::json& params)
{
  DeploymentRule rule;
  if (params.contains("deployment")) {
    const auto& deployment = params.at("deployment");
    rule.minimum_healthy_percent = deployment.at("minimum_healthy_percent").get<double>();
    rule.maximum_percent = deployment.at("maximum_percent").get<double>();
  }
  return rule;
}

}  // namespace archlab
