// The hosts Lambda's execution environments compute on (sim/platform/): one per environment, a single
// core at the memory's handler speed (invoke_admission.hpp), made at its first CPU work and kept by
// the environment's slot. An environment reset while its handler computes (a timeout, a crash) leaves
// that work running to its end on the host (Compute::cancel's caveat), so the slot's next environment
// gets another host, and the old one is free for reuse once its work ends: a new environment never
// shares a core with a stopped invocation's work.
#pragma once

#include "sim/platform/compute.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace archlab {

class EnvironmentHosts {
public:
  EnvironmentHosts(std::string owner_id, double cpu_speed) : owner_id_(std::move(owner_id)), cpu_speed_(cpu_speed) {}

  // The host environment `environment` computes on now; the caller then runs one piece of work there
  // and calls `finished` with the same two when it ends (whether or not the run still wants it).
  Compute::HostId start_work(Compute& compute, std::uint32_t environment);
  void finished(std::uint32_t environment, Compute::HostId host);
  // The environment is gone (reset): work still running on its host keeps the host.
  void reset(std::uint32_t environment);
  // Makes a host for the slot now (before the platform is sealed a plain host is cheaper than a VM).
  void prepare(Compute& compute, std::uint32_t environment);
  std::size_t hosts_made() const { return made_; }

private:
  struct Slot {
    std::optional<Compute::HostId> host;
    bool is_computing = false;
  };
  Slot& slot(std::uint32_t environment);
  Compute::HostId new_host(Compute& compute);

  std::string owner_id_;
  double cpu_speed_;
  std::vector<Slot> slots_;
  std::vector<Compute::HostId> free_;  // hosts whose reset environment's work has ended
  std::size_t made_ = 0;
};

}  // namespace archlab
