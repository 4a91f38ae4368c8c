#include "sim/run/simgrid_driver.hpp"

#include "sim/platform/simgrid_platform.hpp"

#include <algorithm>

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
  double reached_s = run_ahead();
  is_firing_ = false;
  arm(next_wake_s(reached_s));
}

double SimgridDriver::run_ahead()
{
  double clock_s = simgrid::s4u::Engine::get_clock();
  double reached_s = clock_s;
  if (!platform_ || platform_->keeps_every_step())
    return reached_s;
  while (!platform_->has_waiting_starts()) {
    double quiet_until_s = platform_->quiet_until_s();
    reached_s = std::max(reached_s, scheduler_.drop_cancelled_before(std::min({2 * clock_s, quiet_until_s, end_s_})));
    double next_s = scheduler_.next_time();
    if (next_s > 2 * clock_s || next_s >= quiet_until_s || next_s > end_s_)
      break;
    scheduler_.run_until(next_s);  // the events of one instant, SimGrid left where it is
    reached_s = next_s;
  }
  return reached_s;
}

double SimgridDriver::next_wake_s(double reached_s)
{
  if (platform_ && platform_->has_waiting_starts())
    return scheduler_.now();
  double clock_s = simgrid::s4u::Engine::get_clock();
  double next_s = scheduler_.next_time();
  // Beyond twice SimGrid's clock its jump may round: it first catches up with the instants skipped,
  // to jump from where it would have been had it stopped at each.
  if (next_s > 2 * clock_s && reached_s > clock_s)
    return reached_s;
  return next_s;
}

void SimgridDriver::run_until(double end_s)
{
  end_s_ = end_s;
  arm(next_wake_s(simgrid::s4u::Engine::get_clock()));
  simgrid::s4u::Engine::get_instance()->run();
}

}  // namespace archlab
