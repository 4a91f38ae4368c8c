#include "sim/components/load_balancer/health_check.hpp"

namespace archlab {

bool record_health_check(TargetHealth& health, bool passed, const HealthCheckSettings& settings)
{
  if (passed) {
    ++health.passes_in_a_row;
    health.failures_in_a_row = 0;
    if (!health.is_healthy && health.passes_in_a_row >= settings.healthy_threshold) {
      health.is_healthy = true;
      return true;
    }
  } else {
    ++health.failures_in_a_row;
    health.passes_in_a_row = 0;
    if (health.is_healthy && health.failures_in_a_row >= settings.unhealthy_threshold) {
      health.is_healthy = false;
      return true;
    }
  }
  return false;
}

}  // namespace archlab
