// The rolling update's decision (AWS ECS DeploymentConfiguration): what to start and what to stop
// for a given state, with the ECS documentation's own examples.
#include "sim/scaling/deployment.hpp"

#include <catch2/catch.hpp>

using archlab::DeploymentRule;
using archlab::DeploymentState;
using archlab::next_deployment_step;

TEST_CASE("conformance (ECS maximumPercent 200: four tasks, four new ones may start before the four old stop)", "[deployment][conformance]")
{
  DeploymentRule rule{100, 200};
  auto first = next_deployment_step(rule, {.desired = 4, .old_in_service = 4});
  CHECK(first.start == 4);
  CHECK(first.stop_old == 0);  // 100 % must stay healthy: nothing stops before a new task is healthy
  auto two_up = next_deployment_step(rule, {.desired = 4, .old_in_service = 4, .new_in_service = 2, .new_pending = 2});
  CHECK(two_up.start == 0);
  CHECK(two_up.stop_old == 2);
}

TEST_CASE("conformance (ECS minimumHealthyPercent 50: four tasks, two old ones may stop before two new start)", "[deployment][conformance]")
{
  DeploymentRule rule{50, 100};
  auto first = next_deployment_step(rule, {.desired = 4, .old_in_service = 4});
  CHECK(first.stop_old == 2);
  CHECK(first.start == 0);  // at most 100 % running: the draining two still run
  auto drained = next_deployment_step(rule, {.desired = 4, .old_in_service = 2});
  CHECK(drained.start == 2);
  auto second = next_deployment_step(rule, {.desired = 4, .old_in_service = 2, .new_in_service = 2});
  CHECK(second.stop_old == 2);
}

TEST_CASE("conformance (ECS rounds the minimum up and the maximum down)", "[deployment][conformance]")
{
  CHECK(archlab::minimum_healthy_tasks({50, 200}, 3) == 2);
  CHECK(archlab::maximum_running_tasks({50, 150}, 3) == 4);
  CHECK(archlab::minimum_healthy_tasks({100, 200}, 12) == 12);
  CHECK(archlab::maximum_running_tasks({100, 200}, 12) == 24);
}

TEST_CASE("deployment: minimum healthy 0 % stops every old task at once, and starts the new ones once they are gone", "[deployment]")
{
  DeploymentRule rule{0, 100};
  auto first = next_deployment_step(rule, {.desired = 3, .old_in_service = 3});
  CHECK(first.stop_old == 3);
  CHECK(first.start == 0);
  CHECK(next_deployment_step(rule, {.desired = 3, .old_draining = 1}).start == 2);
}

TEST_CASE("deployment: done when only new tasks run, all healthy; stuck when the limits leave no room", "[deployment]")
{
  CHECK(archlab::is_deployment_done({.desired = 2, .new_in_service = 2}));
  CHECK_FALSE(archlab::is_deployment_done({.desired = 2, .old_draining = 1, .new_in_service = 2}));
  CHECK_FALSE(archlab::is_deployment_done({.desired = 2, .new_in_service = 1, .new_pending = 1}));
  // one task, 50 % and 150 %: at least 1 healthy and at most 1 running, so nothing may move
  CHECK(archlab::is_deployment_stuck({50, 150}, {.desired = 1, .old_in_service = 1}));
  CHECK_FALSE(archlab::is_deployment_stuck({50, 200}, {.desired = 1, .old_in_service = 1}));
}
