// Drives a Scheduler from SimGrid's clock, so the components' events and SimGrid's own activities
// (executions on hosts, transfers over links) share one timeline. Exactly one SimGrid kernel timer is
// armed at a time, at the scheduler's earliest event; when it fires, every event due then runs in
// the scheduler's (time, sequence) order and the timer is re-armed. An event scheduled from outside
// that (an activity's completion callback) re-arms the timer if it is earlier.
//
// Each SimGrid step costs about as much as a component's event, so with the platform the driver
// wakes SimGrid only when it has something to do: events due before the earliest time a running
// piece of work could end (SimgridPlatform::quiet_until_s) run in one go, the scheduler's clock
// ahead of SimGrid's. Work asked for meanwhile ends the run of events at that instant, and SimGrid is
// woken there to start it. The instants of cancelled events are skipped too. SimGrid moves its
// clock from s to a timer's t as s + (t - s), which is exactly t when s is at least half t (and
// rounds otherwise), so steps are skipped only up to twice SimGrid's clock: every clock it reaches
// is then the one it reached stopping at every instant. With VMs even steps where nothing happens
// count (SimgridPlatform::keeps_every_step), and every instant is a step again.
//
// Without SimGrid activities the scheduler runs on its own (Scheduler::run_until), which is faster:
// simulation.cpp picks this driver for a model with CPU work (sim/platform/), and ARCHLAB_DRIVER=simgrid
// forces it for any (tests hold both to the same output). The engine runs while timers or activities
// are left, so executions in flight carry the run on between scheduler events. An activity callback
// must call `scheduler.advance_to(Engine::get_clock())` before it reads the time or schedules
// (SimgridPlatform does, and runs what finished as one scheduler event).
#pragma once

#include "sim/core/scheduler.hpp"

namespace simgrid::kernel::timer {
class Timer;
}

namespace archlab {

class SimgridPlatform;

class SimgridDriver {
public:
  // Without a platform, SimGrid is stepped at every instant that has events.
  explicit SimgridDriver(Scheduler& scheduler, SimgridPlatform* platform = nullptr);
  ~SimgridDriver();
  SimgridDriver(const SimgridDriver&) = delete;
  SimgridDriver& operator=(const SimgridDriver&) = delete;

  // Runs the engine until no event at or before `end_s` is left; needs a SimGrid engine in this process.
  void run_until(double end_s);

private:
  void arm(double time_s);
  // Runs the events due before SimGrid has anything to do, at instants up to twice its clock;
  // returns the latest instant run or skipped (SimGrid's clock if none).
  double run_ahead();
  double next_wake_s(double reached_s);
  void fire();

  Scheduler& scheduler_;
  SimgridPlatform* platform_;
  simgrid::kernel::timer::Timer* armed_ = nullptr;
  double armed_s_ = Scheduler::never;
  double end_s_ = Scheduler::never;
  bool is_firing_ = false;
};

}  // namespace archlab
