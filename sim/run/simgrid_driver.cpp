#include "sim/run/simgrid_driver.hpp"

#include "sim/platform/simgrid_platform.hpp"

#include <simgrid/kernel/Timer.hpp>
#include <simgrid/s4u/Engine.hpp>

namespace archlab {

SimgridDriver::SimgridDriver(Scheduler& scheduler, SimgridPlatform* platform) : scheduler_(scheduler), platform_(platform)
{
  scheduler_.driver_context = this;
  scheduler_.on_new_earliest = [](void* context, double time_s) {
    auto* driver = static_cast<SimgridDriver*>(context);
    if (!driver->is_firing_ && time_s < driver->armed_s_)
      driver->arm(time_s);
  };
}

SimgridDriver::~SimgridDriver()
{
  scheduler_.on_new_earliest = nullptr;
  scheduler_.driver_context = nullptr;
}

void SimgridDriver::arm(double time_s)
{
  if (armed_)
    armed_->remove();
  armed_ = nullptr;
  armed_s_ = Scheduler::never;
  if (time_s > end_s_ || time_s == Scheduler::never)
    return;
  armed_s_ = time_s;
  armed_ = simgrid::kernel::timer::Timer::set(time_s, [this] { fire(); });
}

void SimgridDriver::fire()
{
  armed_ = nullptr;  // the engine frees a timer that has run
  armed_s_ = Scheduler::never;
  is_firing_ = true;
  scheduler_.advance_to(simgrid::s4u::Engine::get_clock());
  if (platform_)
    platform_->start_waiting();
  scheduler_.run_until(scheduler_.now() < end_s_ ? scheduler_.now() : end_s_);
  while (platform_ && !platform_->has_waiting_starts()) {
    double next_s = scheduler_.next_live_time();
    if (next_s > end_s_ || next_s >= platform_->quiet_until_s())
      break;
    scheduler_.run_until(next_s);  // the events of one instant, SimGrid left where it is
  }
  is_firing_ = false;
  arm(platform_ && platform_->has_waiting_starts() ? scheduler_.now() : scheduler_.next_live_time());
}

void SimgridDriver::run_until(double end_s)
{
  end_s_ = end_s;
  arm(scheduler_.next_live_time());
  simgrid::s4u::Engine::get_instance()->run();
}

}  // namespace archlab
