#include "sim/run/simgrid_driver.hpp"

#include <simgrid/kernel/Timer.hpp>
#include <simgrid/s4u/Engine.hpp>

namespace archlab {

SimgridDriver::SimgridDriver(Scheduler& scheduler) : scheduler_(scheduler)
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
  scheduler_.run_until(scheduler_.now() < end_s_ ? scheduler_.now() : end_s_);
  is_firing_ = false;
  arm(scheduler_.next_live_time());
}

void SimgridDriver::run_until(double end_s)
{
  end_s_ = end_s;
  arm(scheduler_.next_live_time());
  simgrid::s4u::Engine::get_instance()->run();
}

}  // namespace archlab
