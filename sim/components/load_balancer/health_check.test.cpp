#include "sim/components/load_balancer/health_check.hpp"

#include <catch2/catch.hpp>

using namespace archlab;

TEST_CASE("a target is taken out after unhealthy_threshold failures in a row", "[load_balancer]")
{
  HealthCheckSettings settings;  // ALB defaults: 2 to take out, 5 to bring back
  TargetHealth health;
  CHECK_FALSE(record_health_check(health, false, settings));
  CHECK(record_health_check(health, false, settings));
  CHECK_FALSE(health.is_healthy);
  for (int i = 0; i < 4; ++i)
    CHECK_FALSE(record_health_check(health, true, settings));
  CHECK(record_health_check(health, true, settings));
  CHECK(health.is_healthy);
}

TEST_CASE("a pass in between starts the failure count again", "[load_balancer]")
{
  HealthCheckSettings settings;
  TargetHealth health;
  record_health_check(health, false, settings);
  record_health_check(health, true, settings);
  CHECK_FALSE(record_health_check(health, false, settings));
  CHECK(health.is_healthy);
}

TEST_CASE("a target registered at run time needs one passing check", "[load_balancer]")
{
  HealthCheckSettings settings;
  auto health = initial_target_health();
  CHECK_FALSE(health.is_healthy);
  CHECK(record_health_check(health, true, settings));
  CHECK(health.is_healthy);
  CHECK_FALSE(health.is_initial);
}

TEST_CASE("a new target that fails its checks turns unhealthy", "[load_balancer]")
{
  HealthCheckSettings settings;
  auto health = initial_target_health();
  CHECK_FALSE(record_health_check(health, false, settings));
  CHECK(record_health_check(health, false, settings));
  CHECK_FALSE(health.is_healthy);
  CHECK_FALSE(health.is_initial);
}
