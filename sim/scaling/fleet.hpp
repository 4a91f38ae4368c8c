// What an Auto Scaling group (auto_scaling_group.hpp) needs from the instances it manages: an
// instance pool (sim/instances/), which a service (EC2 web servers) or consumers (EC2 workers
// polling a queue) hold.
#pragma once

#include <cstdint>
#include <vector>

namespace archlab {

class World;

struct InstanceReading {
  std::uint64_t instance_id = 0;  // stable for the instance's life, in launch order
  double busy_s = 0;              // cumulative time-integral of busy workers ÷ workers per instance
  std::uint64_t requests = 0;     // cumulative requests (or messages) it has taken
};

// Instances by revision, for a deployment (deployment.hpp).
struct RevisionCounts {
  int old_in_service = 0;  // an older revision, taking work
  int old_retiring = 0;    // an older revision, deregistered and draining
  int new_in_service = 0;  // the current revision, taking work
  int new_unproven = 0;    // the current revision, InService but not yet through a health check
};

enum class LaunchOutcome : std::uint8_t {
  ready,              // InService: it takes work from now on
  image_pull_failed,  // no path to the registry from its zone
  over_quota,         // the account's vCPU quota is in use (Fargate)
};

class Fleet {
public:
  virtual ~Fleet() = default;
  // A launched instance has finished booting and is InService, or its launch failed and nothing is.
  virtual LaunchOutcome instance_ready(World& world) = 0;
  // Scale-in: the newest instance stops taking new work, finishes what it holds, then is gone.
  virtual void retire_instance(World& world) = 0;
  virtual std::size_t instances_in_service() const = 0;
  // Cumulative readings per in-service instance; the group turns differences into metrics.
  virtual std::vector<InstanceReading> readings(double now_s) const = 0;
  // Deployments: instances ready from now on run a new revision; the oldest instance of an older
  // revision stops taking work, drains and goes.
  virtual void begin_revision() = 0;
  virtual RevisionCounts revision_counts() const = 0;
  virtual void retire_old_instance(World& world) = 0;
};

}  // namespace archlab
