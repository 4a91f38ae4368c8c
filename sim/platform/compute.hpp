// CPU work on the hosts of instances, as components see it: no SimGrid type shows here, so a
// component compiles (and its other tests run) without an engine. simgrid_platform.hpp implements it.
#pragma once

#include "sim/core/inline_action.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace archlab {

struct CpuWorkId {
  std::uint32_t slot = 0;
  std::uint32_t generation = 0;  // 0: none
};

class Compute {
public:
  using HostId = std::uint32_t;
  virtual ~Compute() = default;

  // The host of one instance (named `instance`, unique in the run) of an EC2 type, in a zone ("" for
  // the default zone). Ask before the run for the instances a component starts with (cheaper); one
  // launched during the run may ask when it first computes.
  virtual HostId instance_host(const std::string& instance, const std::string& instance_type, const std::string& zone) = 0;
  // The same for a host that is no EC2 type (a Lambda execution environment): `vcpus` cores, each
  // doing `cpu_speed` seconds of reference work per second.
  virtual HostId sized_host(const std::string& name, int vcpus, double cpu_speed, const std::string& zone) = 0;
  // A single core that runs one piece of work at a time (a Lambda environment's CPU while it
  // computes): nothing shares it, so its work takes cpu_s / cpu_speed exactly, timed by the
  // scheduler alone, without SimGrid. Running two pieces on it at once is a logic error.
  virtual HostId dedicated_core(const std::string& name, double cpu_speed) = 0;
  // Runs `cpu_s` seconds of reference-vCPU work on `host`, sharing its vCPUs with all else running
  // there; `done` runs as a scheduler event at the instant it finishes (see simgrid_platform.hpp for
  // the order of simultaneous ones).
  virtual CpuWorkId run(HostId host, double cpu_s, InlineAction done) = 0;
  // The time-integral of the host's busy share until now: the work it has done (finished or not, kept
  // or forgotten) in seconds of all its vCPUs at full use (2 vCPUs, one busy for 10 s: 5 s). Its
  // difference over a period, divided by the period, is the host's CPU utilisation.
  virtual double busy_s(HostId host) const = 0;
  // Forgets a piece of work: its `done` never runs (it may still use the CPU until it would have
  // ended: see SimgridPlatform::cancel). Nothing for one that has finished.
  virtual void cancel(CpuWorkId work) = 0;
};

// The hosts of a component's instances, by instance index, each made at its first CPU work (so a
// component that never computes makes none).
class InstanceHosts {
public:
  Compute::HostId of(Compute& compute, std::size_t index, const std::string& instance, const std::string& instance_type,
                     const std::string& zone)
  {
    if (hosts_.size() <= index)
      hosts_.resize(index + 1);
    if (!hosts_[index])
      hosts_[index] = compute.instance_host(instance, instance_type, zone);
    return *hosts_[index];
  }

private:
  std::vector<std::optional<Compute::HostId>> hosts_;
};

}  // namespace archlab
