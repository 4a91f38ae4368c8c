// The hosts Lambda's handlers compute on (sim/platform/): single-core, at the memory's handler speed
// (invoke_admission.hpp). An environment runs one invocation at a time, so its CPU is a core of its
// own while it computes: a host is taken when a run's CPU work starts and given back when that work
// ends. So as many are made as works ever run at once (at most the function's concurrency), not one
// per environment ever started; and the work of a run stopped by a timeout, which goes on to its
// end (Compute::cancel), keeps its core until then: no new run shares it. A core used so is never
// shared, so it is a dedicated core (Compute::dedicated_core), timed without SimGrid.
#pragma once

#include "sim/platform/compute.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace archlab {

class EnvironmentHosts {
public:
  EnvironmentHosts(std::string owner_id, double cpu_speed) : owner_id_(std::move(owner_id)), cpu_speed_(cpu_speed) {}

  // A free host (made if none is), for one piece of work; `give_back` it when that work ends.
  Compute::HostId take(Compute& compute);
  void give_back(Compute::HostId host) { free_.push_back(host); }
  // Makes `count` hosts now: before the platform is sealed they are plain hosts, cheaper to run than
  // the VMs made later (docs/simgrid-notes.md §3).
  void prepare(Compute& compute, std::size_t count);
  std::size_t hosts_made() const { return made_; }

private:
  std::string owner_id_;
  double cpu_speed_;
  std::vector<Compute::HostId> free_;  // the most recently freed last
  std::size_t made_ = 0;
};

}  // namespace archlab
