// A load balancer's view of one target's health, after ALB target-group health checks: a target
// turns unhealthy after `unhealthy_threshold` consecutive failed checks and healthy again after
// `healthy_threshold` consecutive passes. Pure.
#pragma once

namespace archlab {

struct HealthCheckSettings {
  bool is_enabled = true;
  double interval_s = 30;       // ALB default
  double timeout_s = 5;         // ALB default
  int healthy_threshold = 5;    // ALB default
  int unhealthy_threshold = 2;  // ALB default
};

struct TargetHealth {
  bool is_healthy = true;  // registered targets start in service
  int passes_in_a_row = 0;
  int failures_in_a_row = 0;
};

// Returns true when the check changed the target's state.
bool record_health_check(TargetHealth& health, bool passed, const HealthCheckSettings& settings);

}  // namespace archlab
