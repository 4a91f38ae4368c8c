#include "sim/components/load_balancer/health_check.hpp"

namespace archlab {

TargetHealth initial_target_health()
{
  TargetHealth health;
  health.is_healthy = false;
  health.is_initial = true;
  return health;
}

bool record_health_check(TargetHealth& health, bool passed, const HealthCheckSettings& settings)
{
  if (passed) {
    ++health.passes_in_a_row;
    health.failures_in_a_row = 0;
    bool turns_healthy = health.is_initial || (!health.is_healthy && health.passes_in_a_row >= settings.healthy_threshold);
    if (turns_healthy) {
      health.is_healthy = true;
      health.is_initial = false;
      return true;
    }
  } else {
    ++health.failures_in_a_row;
    health.passes_in_a_row = 0;
    bool turns_unhealthy = (health.is_healthy || health.is_initial) && health.failures_in_a_row >= settings.unhealthy_threshold;
    if (turns_unhealthy) {
      health.is_healthy = false;
      health.is_initial = false;
      return true;
    }
  }
  return false;
}

}  // namespace archlab
