#include "sim/run/simulation.hpp"

#include "sim/core/registry.hpp"
#include "sim/run/simgrid_driver.hpp"
#include "sim/run/watchdog.hpp"
#include "sim/core/world.hpp"
#include "sim/core/fault_plan.hpp"
#include "sim/platform/simgrid_platform.hpp"
#include "sim/report/signal_series.hpp"
#include "sim/report/summary.hpp"
#include "sim/report/timeseries.hpp"

#include <simgrid/s4u.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

namespace archlab {

namespace {
using WallClock = std::chrono::steady_clock;

struct Progress {
  WallClock::time_point started;
  WallClock::time_point last_shown;
  RunControl* control = nullptr;
  Scheduler* scheduler = nullptr;
  bool shows_progress = false;
  bool has_shown = false;
  Watchdog watchdog;
};

double seconds_since(WallClock::time_point start) { return std::chrono::duration<double>(WallClock::now() - start).count(); }

void show_progress(void* context)
{
  Progress& progress = *static_cast<Progress*>(context);
  double now = progress.scheduler->now();
  auto now_wall = WallClock::now();
  double elapsed_s = seconds_since(progress.started);
  if (elapsed_s < 1.0 || std::chrono::duration<double>(now_wall - progress.last_shown).count() < 0.25)
    return;
  progress.last_shown = now_wall;
  progress.has_shown = true;
  double done = progress.control->progress(now);
  double eta_s = done > 0 ? elapsed_s * (1 - done) / done : 0;
  std::fprintf(stderr, "\r  simulated %.1f s · %.2fM events/s · %3.0f%% · ETA %.0f s   ", now,
               progress.scheduler->events_run() / elapsed_s / 1e6, done * 100, eta_s);
}

void every_65536_events(void* context)
{
  Progress& progress = *static_cast<Progress*>(context);
  progress.watchdog.check(progress.scheduler->now(), progress.scheduler->events_run(), progress.scheduler->pending());
  if (progress.shows_progress)
    show_progress(context);
}

// The signals are sampled in every run (the summary's `signals` section comes from them); the time
// series and the rows of signals.csv only when they are wanted.
struct Recorders {
  Timeseries series;
  SignalSeries signals;
  bool keeps_timeseries = false;
  double sampled_until_s = 0;
  void sample(std::vector<Component*>& components, double from_s, double to_s)
  {
    signals.sample(to_s);  // first: the time series closes each interval's latency histogram
    if (keeps_timeseries)
      series.sample(components, from_s, to_s);
    sampled_until_s = to_s;
  }
};

// `until_idle`: stop once nothing else is scheduled, so that a run waiting for requests that will
// never come ends (and says so) instead of sampling for ever.
void sample_periodically(Recorders& recorders, std::vector<Component*>& components, World& world, double interval_s, double from_s,
                         bool until_idle)
{
  world.scheduler().at(from_s + interval_s, [&recorders, &components, &world, interval_s, from_s, until_idle] {
    if (world.control().is_over() || (until_idle && world.scheduler().empty()))
      return;
    recorders.sample(components, from_s, from_s + interval_s);
    sample_periodically(recorders, components, world, interval_s, from_s + interval_s, until_idle);
  });
}

// Every event line streamed to a file while the run goes (SimulationOptions::events_path).
struct EventLogFile {
  std::FILE* file = nullptr;
  explicit EventLogFile(const std::string& path)
  {
    if (!path.empty() && !(file = std::fopen(path.c_str(), "w")))
      throw std::runtime_error("cannot write " + path + ": " + std::strerror(errno));
  }
  bool close()
  {
    bool ok = !file || (std::fflush(file) == 0 && !std::ferror(file));
    if (file && std::fclose(file) != 0)
      ok = false;
    file = nullptr;
    return ok;
  }
  ~EventLogFile() { close(); }
};

// Until a model uses SimGrid's activities (CPU work), the scheduler runs on its own (faster, same
// output); ARCHLAB_DRIVER=simgrid drives it from SimGrid's clock anyway (see simgrid_driver.hpp).
bool is_driven_by_simgrid(const PlatformPlan& plan)
{
  const char* driver = std::getenv("ARCHLAB_DRIVER");
  return plan.has_cpu_work || (driver && std::strcmp(driver, "simgrid") == 0);
}
}  // namespace

SimulationResult simulate(const Model& model, const SimulationOptions& options)
{
  int argc = 2;
  char program[] = "archlab";
  char quiet[] = "--log=root.thres:critical";
  char* argv[] = {program, quiet, nullptr};
  simgrid::s4u::Engine engine(&argc, argv);

  World world(model);
  auto plan = plan_platform(model.components());
  SimgridPlatform platform(plan, world.scheduler());
  world.set_compute(&platform);
  Scheduler& scheduler = world.scheduler();
  EventLogFile events_file(options.events_path);
  world.log().stream_to(events_file.file);
  world.keeps_intervals = options.keeps_timeseries;
  world.build();
  std::vector<Component*> components;
  for (auto& component : world.components()) {
    if (options.keeps_timeseries)
      component->stats().enable_intervals();
    components.push_back(component.get());
  }

  auto& control = world.control();
  control.on_warmup_end = [&components](double now_s) {
    for (auto* component : components) {
      component->stats().restart(now_s);
      component->call_sites().restart_counters();
    }
  };
  if (model.run.warmup_s == 0 && model.run.warmup_requests == 0)
    control.warm_up_ends(0);
  if (model.run.warmup_s > 0)
    scheduler.at(model.run.warmup_s, [&control, &scheduler] { control.warm_up_ends(scheduler.now()); });
  for (const auto& fault : fault_timeline(model.faults()))
    scheduler.at(fault.at_s, [&world, fault] {
      if (!fault.target.empty())
        world.component(fault.target).apply_fault(fault, world);
      else
        for (auto& component : world.components())
          component->apply_fault(fault, world);
    });

  Recorders recorders{Timeseries{}, SignalSeries(components, options.keeps_timeseries), options.keeps_timeseries};
  sample_periodically(recorders, components, world, model.run.timeseries_interval_s, 0, model.run.requests > 0);
  for (auto* component : components)
    component->start(world);
  platform.seal();

  Progress progress{WallClock::now(), WallClock::now(), &control, &scheduler, options.shows_progress};
  scheduler.on_every_65536 = every_65536_events;
  scheduler.hook_context = &progress;
  double end_s = model.run.duration_s > 0 ? model.run.duration_s : Scheduler::never;
  if (is_driven_by_simgrid(plan)) {
    SimgridDriver driver(scheduler, &platform);
    driver.run_until(end_s);
  } else {
    scheduler.run_until(end_s);
  }
  if (model.run.duration_s > 0) {
    control.end_at(model.run.duration_s);
  } else {
    if (!control.is_over())
      throw std::runtime_error(control.why_unfinished());
  }
  double wall_s = seconds_since(progress.started);
  if (progress.has_shown)
    std::fprintf(stderr, "\r%80s\r", "");

  end_s = control.end_s();
  SimulationResult result;
  if (end_s > recorders.sampled_until_s)
    recorders.sample(components, recorders.sampled_until_s, end_s);
  if (options.keeps_timeseries) {
    result.timeseries_csv = recorders.series.csv();
    result.signals_csv = recorders.signals.csv();
  }
  result.summary = build_summary(world, end_s);
  for (std::size_t i = 0; i < components.size(); ++i)
    if (auto section = recorders.signals.summary_of(i); !section.empty() && result.summary["components"].contains(components[i]->id()))
      result.summary["components"][components[i]->id()]["signals"] = std::move(section);
  result.wall_clock = {{"run_s", wall_s},
                       {"events", scheduler.events_run()},
                       {"events_per_s", wall_s > 0 ? scheduler.events_run() / wall_s : 0.0},
                       {"requests_per_s", wall_s > 0 ? control.sent() / wall_s : 0.0}};
  result.events = world.log().lines();
  result.events_total = world.log().total_lines();
  if (!events_file.close())
    throw std::runtime_error("cannot write " + options.events_path + ": " + std::strerror(errno));
  return result;
}

}  // namespace archlab
