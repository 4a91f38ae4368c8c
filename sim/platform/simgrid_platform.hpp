// The model's platform in SimGrid, and CPU work on it (the Compute components use).
//
// The region is a full zone holding one zone per availability zone and an `internet` zone; a zone's
// links are data (models/platform/): its fabric within, one link to each other zone, one to the
// internet, all under CM02 so that latencies are literal (LV08 would multiply them by 13.01).
//
// Hosts of instances: one asked for before `seal()` (the instances a run starts with) is a plain host
// in its zone; one asked for later (an instance launched during the run) is a SimGrid virtual machine
// on its zone's hardware. SimGrid 3.32 refuses a host in a sealed zone ("NetZone ... already sealed")
// and a new zone under a sealed parent, and the engine seals the platform when it starts; a VM can be
// made at any time and shares its vCPUs as a host does, but costs the engine time per VM at every
// step (docs/simgrid-notes.md §3). The hardware has far more cores than any run asks for: EC2's vCPUs
// are the instance's own, so instances never slow each other.
// An instance type's `cpu_speed` scales the work (a vCPU at speed 2 does a second of reference work
// in half a second).
//
// Completions: an execution's end is noted in SimGrid's completion callback and run as one scheduler
// event at that instant (SimGrid fires its timers first, then the completions of the same instant).
// So at one instant the scheduler's events already due run first, then the pieces of work that
// finished, in the order they were started — not in SimGrid's own order, which is the reverse.
#pragma once

#include "sim/core/scheduler.hpp"
#include "sim/platform/compute.hpp"
#include "sim/platform/platform_plan.hpp"

#include <simgrid/forward.h>

#include <functional>
#include <queue>
#include <string>
#include <utility>
#include <vector>

namespace archlab {

class SimgridPlatform final : public Compute {
public:
  static constexpr double reference_flops_per_s = 1e9;  // one reference vCPU

  // Needs the engine to exist and no platform yet; sets CM02 (the engine's configuration is global).
  SimgridPlatform(const PlatformPlan& plan, Scheduler& scheduler);
  ~SimgridPlatform() override;  // out of line: an ExecPtr is released where Exec is complete
  SimgridPlatform(const SimgridPlatform&) = delete;
  SimgridPlatform& operator=(const SimgridPlatform&) = delete;

  HostId instance_host(const std::string& instance, const std::string& instance_type, const std::string& zone) override;
  HostId sized_host(const std::string& name, int vcpus, double cpu_speed, const std::string& zone) override;
  HostId dedicated_core(const std::string& name, double cpu_speed) override;
  // Before the run: hosts asked for from now on are VMs.
  void seal();
  CpuWorkId run(HostId host, double cpu_s, InlineAction done) override;
  void cancel(CpuWorkId work) override;
  double busy_s(HostId host) const override;

  // The earliest a piece of work now running could end (never if none). Until then SimGrid has
  // nothing to do, so the driver runs the scheduler's events without stepping it (SimgridDriver).
  double quiet_until_s();
  // Work asked for while the scheduler runs ahead of SimGrid's clock waits to start until SimGrid
  // reaches the instant it was asked at: the driver stops there and calls `start_waiting`.
  bool has_waiting_starts() const { return !waiting_starts_.empty(); }
  // Whether SimGrid's results depend on the steps it takes, even those where nothing happens: with
  // a VM they do (VMModel re-bounds every VM at each step; measured: skipping the steps of cancelled
  // events moved the surf-clip pipeline's times by a few ulps once timeouts made it launch VMs).
  bool keeps_every_step() const { return has_vms_; }
  void start_waiting();

  simgrid::s4u::Host* host(HostId id) const { return hosts_[id].host; }
  std::size_t work_in_flight() const { return works_.size() - free_works_.size(); }

private:
  struct Zone {
    std::string name;
    simgrid::s4u::NetZone* zone;
    simgrid::s4u::Host* hardware;
  };
  struct InstanceHost {
    simgrid::s4u::Host* host;  // null for a VM not made yet, and for a dedicated core (none in SimGrid)
    double cpu_speed;
    int vcpus = 1;
    simgrid::s4u::Host* vm_hardware = nullptr;  // a VM's machine and name, kept until it is made
    std::string vm_name;
    int running = 0;          // pieces of work on it now
    double busy_s = 0;        // see Compute::busy_s, until `changed_s`
    double changed_s = 0;     // when `running` last changed
    double busy_s_at(double now_s) const;
    void set_running(int count, double now_s);
    bool is_dedicated = false;  // Compute::dedicated_core
  };
  struct Work {
    simgrid::s4u::ExecPtr exec;
    InlineAction done;
    HostId host = 0;
    std::uint64_t started = 0;
    std::uint32_t generation = 1;
    bool is_running = false;
  };

  bool is_ahead() const;  // the scheduler's clock is past SimGrid's
  void start(std::uint32_t slot);
  CpuWorkId run_dedicated(HostId host, double cpu_s, InlineAction done);
  void make_vm(HostId id);
  void on_completion(const simgrid::s4u::Activity& activity);
  void run_completed();
  void free_work(std::uint32_t slot);

  Scheduler& scheduler_;
  std::string default_zone_;
  simgrid::s4u::NetZone* region_ = nullptr;
  simgrid::s4u::NetZone* internet_ = nullptr;
  std::vector<Zone> zones_;  // each with the machine its launched instances' VMs run on
  bool is_sealed_ = false;
  bool has_vms_ = false;
  std::vector<InstanceHost> hosts_;
  std::vector<Work> works_;
  std::vector<std::uint32_t> free_works_;
  std::vector<std::uint32_t> completed_;   // finished at the current instant, not yet run
  std::vector<std::uint32_t> waiting_starts_;
  // (earliest end, generation << 32 | slot) of the works started; ended ones go when they surface
  using EarliestEnd = std::pair<double, std::uint64_t>;
  std::priority_queue<EarliestEnd, std::vector<EarliestEnd>, std::greater<>> earliest_ends_;
  std::uint64_t started_ = 0;
};

}  // namespace archlab
