// A load balancer's view of one target's health, after ALB target-group health checks: a target
// turns unhealthy after `unhealthy_threshold` consecutive failed checks and healthy again after
// `healthy_threshold` consecutive passes. A target registered at run time starts in the initial
// state and needs one passing check to turn healthy (fact sheet §2). Pure.
#pragma once

namespace archlab {

struct HealthCheckSettings {
  bool is_enabled = true;
  double interval_s = 30;       // ALB default
  double timeout_s = 5;         // ALB default
  int healthy_threshold = 5;    // ALB default
  int unhealthy_threshold = 2;  // ALB default
  // TCP: a check passes once the connection is accepted, which a hung process's kernel still does;
  // HTTP: it must answer the request.
  bool is_tcp = false;
};

struct TargetHealth {
  bool is_healthy = true;   // the targets there from the start are in service at once
  bool is_initial = false;  // registered at run time and not yet checked: no traffic
  int passes_in_a_row = 0;
  int failures_in_a_row = 0;
};

TargetHealth initial_target_health();  // a target registered at run time

// Returns true when the check changed the target's state.
bool record_health_check(TargetHealth& health, bool passed, const HealthCheckSettings& settings);

}  // namespace archlab
