#include "sim/components/load_balancer/health_check.hpp"

#include <catch2/catch.hpp>

using namespace archlab;

// The ALB thresholds themselves are tested in balancing_policies.test.cpp; these are targets that come and go.
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
