#include "sim/core/simulation.hpp"

#include "sim/core/clock.hpp"
#include "sim/core/registry.hpp"
#include "sim/core/watchdog.hpp"
#include "sim/core/world.hpp"
#include "sim/faults/fault_plan.hpp"
#include "sim/metrics/summary.hpp"
#include "sim/metrics/timeseries.hpp"

#include <simgrid/s4u.hpp>

#include <chrono>
#include <cstdio>
#include <stdexcept>

namespace archlab {

namespace {
using WallClock = std::chrono::steady_clock;

struct Progress {
  WallClock::time_point started;
  WallClock::time_point last_shown;
  RunControl* control = nullptr;
  bool has_shown = false;
};
Progress progress;
bool shows_progress = false;
Watchdog watchdog;

double seconds_since(WallClock::time_point start) { return std::chrono::duration<double>(WallClock::now() - start).count(); }

void show_progress()
{
  auto now_wall = WallClock::now();
  double elapsed_s = seconds_since(progress.started);
  if (elapsed_s < 1.0 || std::chrono::duration<double>(now_wall - progress.last_shown).count() < 0.25)
    return;
  progress.last_shown = now_wall;
  progress.has_shown = true;
  double done = progress.control->progress(now());
  double eta_s = done > 0 ? elapsed_s * (1 - done) / done : 0;
  std::fprintf(stderr, "\r  simulated %.1f s · %.2fM events/s · %3.0f%% · ETA %.0f s   ", now(),
               event_counter.events / elapsed_s / 1e6, done * 100, eta_s);
}

void every_65536_events()
{
  watchdog.check(now(), event_counter.events);
  if (shows_progress)
    show_progress();
}

void make_platform()
{
  // Requests never cross SimGrid links (they move by timers), but the engine needs a platform.
  auto* zone = simgrid::s4u::create_full_zone("world");
  zone->create_host("control", 1e9);
  zone->seal();
}

// `until_idle`: stop once nothing else is scheduled, so that a run waiting for requests that will
// never come ends (and says so) instead of sampling for ever.
void sample_periodically(Timeseries& series, std::vector<Component*>& components, World& world, double interval_s, double from_s,
                         bool until_idle)
{
  at(from_s + interval_s, [&series, &components, &world, interval_s, from_s, until_idle] {
    if (world.control().is_over() || (until_idle && !has_pending_events()))
      return;
    series.sample(components, from_s, from_s + interval_s);
    sample_periodically(series, components, world, interval_s, from_s + interval_s, until_idle);
  });
}
}  // namespace

SimulationResult simulate(const Model& model, const SimulationOptions& options)
{
  int argc = 2;
  char program[] = "archlab";
  char quiet[] = "--log=root.thres:critical";
  char* argv[] = {program, quiet, nullptr};
  simgrid::s4u::Engine engine(&argc, argv);
  make_platform();

  World world(model);
  world.keeps_intervals = options.keeps_timeseries;
  for (auto& [id, params] : model.components().items())
    world.add(find_component_type(params.at("type").get<std::string>())->create(ComponentSetup{id, params, world}));
  std::vector<Component*> components;
  for (auto& component : world.components()) {
    if (options.keeps_timeseries)
      component->stats().enable_intervals();
    components.push_back(component.get());
  }
  for (auto* component : components)
    component->connect(world);

  auto& control = world.control();
  control.on_warmup_end = [&components](double now_s) {
    for (auto* component : components)
      component->stats().restart(now_s);
  };
  if (model.run.warmup_s == 0 && model.run.warmup_requests == 0)
    control.warm_up_ends(0);
  if (model.run.warmup_s > 0)
    at(model.run.warmup_s, [&control] { control.warm_up_ends(now()); });
  for (const auto& fault : fault_timeline(model.faults()))
    at(fault.at_s, [&world, fault] {
      if (!fault.target.empty())
        world.component(fault.target).apply_fault(fault, world);
      else
        for (auto& component : world.components())
          component->apply_fault(fault, world);
    });

  Timeseries series;
  if (options.keeps_timeseries)
    sample_periodically(series, components, world, model.run.timeseries_interval_s, 0, model.run.requests > 0);
  for (auto* component : components)
    component->start(world);

  progress = {WallClock::now(), WallClock::now(), &control, false};
  shows_progress = options.shows_progress;
  watchdog = Watchdog();
  event_counter = {0, every_65536_events};
  if (model.run.duration_s > 0) {
    engine.run_until(model.run.duration_s);
    control.end_at(model.run.duration_s);
  } else {
    engine.run();
    if (!control.is_over())
      throw std::runtime_error(control.why_unfinished());
  }
  double wall_s = seconds_since(progress.started);
  if (progress.has_shown)
    std::fprintf(stderr, "\r%80s\r", "");

  double end_s = control.end_s();
  SimulationResult result;
  if (options.keeps_timeseries) {
    if (end_s > series.sampled_until_s())
      series.sample(components, series.sampled_until_s(), end_s);
    result.timeseries_csv = series.csv();
  }
  result.summary = build_summary(world, end_s);
  result.wall_clock = {{"run_s", wall_s},
                       {"events", event_counter.events},
                       {"events_per_s", wall_s > 0 ? event_counter.events / wall_s : 0.0},
                       {"requests_per_s", wall_s > 0 ? control.sent() / wall_s : 0.0}};
  result.events = world.log().lines();
  return result;
}

}  // namespace archlab
