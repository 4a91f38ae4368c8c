// archlab run MODEL [--scenario S] [--seed N] [--set k=v]... [--out DIR] [--json] [--quiet]
#include "sim/cli/commands.hpp"
#include "sim/core/problems.hpp"
#include "sim/core/simulation.hpp"
#include "sim/metrics/summary.hpp"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <unistd.h>

namespace archlab::cli {

namespace {
struct RunOptions {
  ModelOptions model;
  std::string out_dir;
  bool is_json = false;
  bool is_quiet = false;
};

void check_out_dir(const std::string& out_dir)
{
  std::error_code error;
  if (std::filesystem::exists(out_dir, error) && !std::filesystem::is_directory(out_dir, error))
    throw InputError("--out " + out_dir, "exists and is not a directory");
}

std::filesystem::path streamed_events_path(const std::string& out_dir) { return std::filesystem::path(out_dir) / "events.log.partial"; }

void write_outputs(const std::string& out_dir, const SimulationResult& result)
{
  nlohmann::json summary = result.summary;
  summary["wall_clock"] = result.wall_clock;
  write_file((std::filesystem::path(out_dir) / "summary.json").string(), summary.dump(2) + "\n");
  write_file((std::filesystem::path(out_dir) / "timeseries.csv").string(), result.timeseries_csv);
  write_file((std::filesystem::path(out_dir) / "signals.csv").string(), result.signals_csv);
  std::filesystem::rename(streamed_events_path(out_dir), std::filesystem::path(out_dir) / "events.log");
}

void run(const RunOptions& options)
{
  Model model = load_model_from(options.model);
  if (!options.out_dir.empty())
    check_out_dir(options.out_dir);
  SimulationOptions simulation;
  simulation.keeps_timeseries = !options.out_dir.empty();
  simulation.shows_progress = !options.is_quiet && isatty(STDERR_FILENO);
  if (!options.out_dir.empty()) {
    std::filesystem::create_directories(options.out_dir);
    simulation.events_path = streamed_events_path(options.out_dir).string();  // every event, as it happens
  }
  SimulationResult result;
  try {
    result = simulate(model, simulation);
  } catch (...) {
    if (!simulation.events_path.empty())
      std::filesystem::remove(simulation.events_path);
    throw;
  }
  if (!options.out_dir.empty())
    write_outputs(options.out_dir, result);
  if (options.is_json) {
    nlohmann::json summary = result.summary;
    summary["wall_clock"] = result.wall_clock;
    std::cout << summary.dump(2) << "\n";
  } else if (!options.is_quiet) {
    std::cout << summary_table(result.summary);
    constexpr std::size_t shown_events = 25;  // the rest are in events.log (--out)
    if (!result.events.empty())
      std::cout << "\nevents:\n";
    for (std::size_t i = 0; i < result.events.size() && i < shown_events; ++i)
      std::cout << result.events[i] << "\n";
    if (result.events_total > shown_events)
      std::cout << "... and " << result.events_total - shown_events << " more (all of them in events.log with --out DIR)\n";
    std::cout << "\n(" << result.wall_clock["run_s"].get<double>() << " s of wall time)\n";
  }
}
}  // namespace

void setup_run_command(CLI::App& app)
{
  auto options = std::make_shared<RunOptions>();
  auto* command = app.add_subcommand("run", "simulate a model and print its summary");
  add_model_options(*command, options->model);
  command->add_option("--out,-o", options->out_dir, "write summary.json, timeseries.csv, signals.csv and events.log into this folder");
  command->add_flag("--json", options->is_json, "print the summary as JSON on stdout");
  command->add_flag("--quiet,-q", options->is_quiet, "print nothing but errors (and --json)");
  command->callback([options] { run(*options); });
}

}  // namespace archlab::cli
