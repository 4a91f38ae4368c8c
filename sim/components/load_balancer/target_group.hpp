// What a load balancer's target group needs from what sits behind it beyond Endpoint: targets that
// register and deregister at run time (the instances an Auto Scaling group launches and retires),
// and a health-check answer that tells a refused connection from no answer at all (a hung process).
#pragma once

#include "sim/core/call.hpp"

namespace archlab {

class World;

enum class HealthAnswer {
  passes,
  refused,    // the connection is refused at once (the instance is down)
  no_answer,  // the check times out (the process hangs)
};

class HealthChecked {
public:
  virtual ~HealthChecked() = default;
  virtual HealthAnswer health_answer() const = 0;
  // The balancer took it out of rotation: a group that goes by ELB health checks replaces it.
  virtual void marked_unhealthy(World&) {}
  // The balancer put it into rotation: a deployment counts it as healthy from now on.
  virtual void marked_healthy(World&) {}
};

class TargetListener {
public:
  virtual ~TargetListener() = default;
  // A new target: it starts in the ALB's initial state and takes traffic once a health check passes.
  virtual void target_registered(Endpoint& target, World& world) = 0;
  // The target is going away: no new requests; those in flight still get their answers, for at most
  // the deregistration delay: then it is stopped, and what it still holds fails.
  virtual void target_deregistered(Endpoint& target, World& world) = 0;
  virtual double deregistration_delay_s() const = 0;
};

class TargetSource {
public:
  virtual ~TargetSource() = default;
  virtual void add_target_listener(TargetListener& listener) = 0;
};

}  // namespace archlab
