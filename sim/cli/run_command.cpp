// archlab run MODEL [--scenario S] [--seed N] [--set k=v]... [--out DIR [--report]] [--json] [--quiet]
//             [--replications N [-j N]] [--precision 0.02 [--max-replications M]]
#include "sim/cli/commands.hpp"
#include "sim/cli/replications.hpp"
#include "sim/cli/run_report.hpp"
#include "sim/core/problems.hpp"
#include "sim/run/simulation.hpp"
#include "sim/report/summary.hpp"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <unistd.h>

namespace archlab::cli {

namespace {
struct RunOptions {
  ModelOptions model;
  std::string out_dir;
  bool is_json = false;
  bool is_quiet = false;
  bool writes_report = false;
  std::size_t replications = 1;
  int jobs = 1;
  double precision = 0;  // 0: a fixed number of replications
  std::size_t max_replications = 50;
  bool is_replicated() const { return replications > 1 || precision > 0; }
};

// model.json is the model as run (scenario and --set applied, every default filled), so that the
// folder says what it is a run of (archlab report reads it).
const std::vector<std::string>& output_names()
{
  static const std::vector<std::string> names = {"summary.json", "timeseries.csv", "signals.csv", "events.log", "model.json", "report.html"};
  return names;
}

std::vector<std::string> written_names(const RunOptions& options)
{
  auto names = output_names();
  if (!options.writes_report)
    names.pop_back();
  return names;
}

void write_outputs(StagedOutputFolder& staged, const Model& model, const SimulationResult& result, bool writes_report)
{
  nlohmann::json summary = result.summary;
  summary["wall_clock"] = result.wall_clock;
  const auto& names = output_names();
  std::vector<OutputFile> files = {{names[0], summary.dump(2) + "\n"}, {names[1], result.timeseries_csv}, {names[2], result.signals_csv},
                                   {names[4], model.document.dump(2) + "\n"}};
  if (writes_report) {
    std::istringstream signals(result.signals_csv);
    std::ifstream events(staged.staged(names[3]));
    files.push_back({names[5], run_report_html(model.document, summary, signals, names[2], events)});
  }
  staged.commit(files, {names[3]});
}

// The model and --out are both checked before the simulation, and their problems reported together.
Model checked_model(const RunOptions& options)
{
  std::vector<Problem> problems;
  std::optional<Model> model;
  try {
    model = load_model_from(options.model);
  } catch (const InputError& error) {
    problems = error.problems();
  }
  if (options.writes_report && options.out_dir.empty())
    problems.push_back({"--report", "needs --out DIR: the page is written there, as DIR/report.html"});
  if (options.is_replicated() && !options.out_dir.empty())
    problems.push_back({"--replications", "writes no run folder (--out): each seed is its own run; archlab sweep -o DIR keeps them"});
  if (options.precision > 0 && options.max_replications < std::max<std::size_t>(options.replications, 3))
    problems.push_back({"--max-replications", "must be at least --replications and at least 3 (the fewest a precision is judged on)"});
  if (!options.out_dir.empty()) {
    try {
      check_output_folder(options.out_dir, written_names(options));
    } catch (const InputError& error) {
      problems.insert(problems.end(), error.problems().begin(), error.problems().end());
    }
  }
  if (!problems.empty())
    throw InputError(std::move(problems));
  return std::move(*model);
}

void run_replicated(const RunOptions& options, const Model& model)
{
  ReplicationPlan plan;
  plan.model = options.model;
  plan.first_seed = model.run.seed;  // --seed is in it already
  plan.replications = options.replications;
  plan.jobs = options.jobs;
  if (options.precision > 0)
    plan.precision = sweep::PrecisionRule{options.precision, std::max<std::size_t>(options.replications, 3), options.max_replications};
  Replicated result;
  {
    ProgressLine progress("replications", plan.precision ? plan.precision->min_replications : plan.replications,
                          !options.is_quiet && !options.is_json);
    result = replicate(plan, &progress);
  }
  if (options.is_json)
    std::cout << replicated_json(model.name, plan, result).dump(2) << "\n";
  else if (!options.is_quiet)
    std::cout << replicated_table(model.name, plan, result);
}

void run(const RunOptions& options)
{
  Model model = checked_model(options);
  if (options.is_replicated())
    return run_replicated(options, model);
  SimulationOptions simulation;
  simulation.keeps_timeseries = !options.out_dir.empty();
  simulation.shows_progress = !options.is_quiet && isatty(STDERR_FILENO);
  std::optional<StagedOutputFolder> staged;  // removed again if the run fails
  if (!options.out_dir.empty()) {
    staged.emplace(options.out_dir);
    simulation.events_path = staged->staged(output_names()[3]);  // every event, as it happens
  }
  SimulationResult result = simulate(model, simulation);
  if (staged)
    write_outputs(*staged, model, result, options.writes_report);
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
  command->add_option("--out,-o", options->out_dir, "write summary.json, timeseries.csv, signals.csv, events.log and model.json into this folder");
  command->add_flag("--report", options->writes_report, "with --out: also write report.html there (see archlab report)");
  command->add_flag("--json", options->is_json, "print the summary as JSON on stdout");
  command->add_flag("--quiet,-q", options->is_quiet, "print nothing but errors (and --json)");
  command->add_option("--replications", options->replications, "run N seeds (the model's seed onwards) and report each figure as mean ± 95% half-width")
      ->check(CLI::Range(std::size_t{1}, std::size_t{10000}));
  command->add_option("-j,--jobs", options->jobs, "replications at once, each its own process")->check(CLI::Range(1, 256));
  command->add_option("--precision", options->precision,
                      "add replications until every main figure's 95% half-width is within this share of its mean (0.02: ±2%)")
      ->check(CLI::Range(1e-6, 1.0));
  command->add_option("--max-replications", options->max_replications, "the bound for --precision")->capture_default_str()
      ->check(CLI::Range(std::size_t{3}, std::size_t{10000}));
  command->callback([options] { run(*options); });
}

}  // namespace archlab::cli
