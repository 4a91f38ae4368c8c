// archlab sweep MODEL --vary PATH=V1,V2,... [--vary ...] [--replications N] [--precision P] [-j N] -o DIR
//                     [--slurm | --point I | --merge]
// Runs the grid, each point's replications with the same seeds (common random numbers: points differ
// by their parameters, not their luck). Each point done is a file in DIR/points/, so a sweep that is
// stopped resumes with the rest; DIR/sweep.csv and a plot per main figure are written from them.
// --slurm writes a job array (one task per point, `--point $SLURM_ARRAY_TASK_ID`) and a merge step.
#include "sim/cli/commands.hpp"
#include "sim/cli/slurm_jobs.hpp"
#include "sim/cli/progress.hpp"
#include "sim/cli/replications.hpp"
#include "sim/core/problems.hpp"
#include "sim/sweep/figures.hpp"
#include "sim/sweep/grid.hpp"
#include "sim/sweep/svg_plot.hpp"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <mutex>
#include <set>
#include <unistd.h>

namespace archlab::cli {

namespace fs = std::filesystem;

namespace {
struct SweepOptions {
  ModelOptions model;
  std::vector<std::string> vary_texts;
  std::size_t replications = 1;
  double precision = 0;
  std::size_t max_replications = 50;
  int jobs = 1;
  std::string out_dir;
  bool writes_slurm = false;
  bool is_merge = false;
  std::int64_t point = -1;
  bool is_quiet = false;
};

struct Sweep {
  std::vector<sweep::Variation> variations;
  std::vector<sweep::Point> points;
  std::uint64_t first_seed = 1;
  nlohmann::json spec;
  fs::path folder;
};

std::string point_file_name(std::size_t index)
{
  char name[32];
  std::snprintf(name, sizeof name, "point-%05zu.json", index);
  return name;
}

// Every point is loaded (scenario, --set and its own values) before anything runs: a path the model
// does not have or a value of the wrong type is named now, not after an hour of the grid.
void check_points(const SweepOptions& options, Sweep& sweep)
{
  std::vector<Problem> problems;
  std::set<std::pair<std::string, std::string>> seen;
  for (const auto& point : sweep.points) {
    ModelOptions model = options.model;
    auto sets = sweep::point_sets(sweep.variations, point);
    model.sets.insert(model.sets.end(), sets.begin(), sets.end());
    try {
      auto loaded = load_model_from(model);
      if (point.index == 0)
        sweep.first_seed = loaded.run.seed;
    } catch (const InputError& error) {
      for (const auto& problem : error.problems())
        if (seen.insert({problem.path, problem.message}).second)
          problems.push_back({problem.path, problem.message + " (a --vary value: " + sweep::point_sets(sweep.variations, point).front() +
                                                (sets.size() > 1 ? ", ..." : "") + ")"});
    }
  }
  if (!problems.empty())
    throw InputError(std::move(problems));
}

Sweep prepare(const SweepOptions& options)
{
  Sweep sweep;
  std::vector<Problem> problems;
  for (const auto& text : options.vary_texts) {
    try {
      sweep.variations.push_back(sweep::parse_variation(text));
    } catch (const InputError& error) {
      problems.insert(problems.end(), error.problems().begin(), error.problems().end());
    }
  }
  if (options.precision > 0 && options.max_replications < std::max<std::size_t>(options.replications, 3))
    problems.push_back({"--max-replications", "must be at least --replications and at least 3"});
  if (options.writes_slurm + options.is_merge + (options.point >= 0) > 1)
    problems.push_back({"--slurm", "--slurm, --point and --merge are different steps: give one"});
  if (!problems.empty())
    throw InputError(std::move(problems));
  sweep.points = sweep::grid_points(sweep.variations);
  if (options.point >= 0 && static_cast<std::size_t>(options.point) >= sweep.points.size())
    throw InputError("--point", "the grid has points 0.." + std::to_string(sweep.points.size() - 1));
  check_points(options, sweep);
  check_output_folder(options.out_dir, {"sweep.json", "sweep.csv"});
  sweep.folder = fs::absolute(options.out_dir).lexically_normal();
  nlohmann::json vary = nlohmann::json::array();
  for (const auto& variation : sweep.variations)
    vary.push_back({{"path", variation.path}, {"values", variation.values}});
  sweep.spec = {{"model", fs::absolute(options.model.file).lexically_normal().string()},
                {"scenario", options.model.scenario},
                {"sets", options.model.sets},
                {"first_seed", sweep.first_seed},
                {"vary", vary},
                {"replications", options.replications},
                {"precision", options.precision},
                {"max_replications", options.max_replications}};
  return sweep;
}

// The folder holds this sweep or none: points of another would be merged into the wrong grid.
void claim_folder(const Sweep& sweep)
{
  fs::create_directories(sweep.folder / "points");
  auto spec_file = sweep.folder / "sweep.json";
  if (fs::exists(spec_file)) {
    std::ifstream in(spec_file);
    nlohmann::json existing = nlohmann::json::parse(in, nullptr, false);
    if (existing != sweep.spec)
      throw InputError("-o " + sweep.folder.string(), "holds another sweep (its sweep.json differs: model, --set, --vary, seeds or "
                                                      "replications); give a new folder or remove this one");
    return;
  }
  write_file(spec_file.string(), sweep.spec.dump(2) + "\n");
}

std::vector<sweep::PointResult> done_results(const Sweep& sweep)
{
  std::vector<sweep::PointResult> results;
  for (const auto& point : sweep.points) {
    auto file = sweep.folder / "points" / point_file_name(point.index);
    if (!fs::exists(file))
      continue;
    std::ifstream in(file);
    auto json = nlohmann::json::parse(in, nullptr, false);
    if (json.is_discarded() || json.value("values", nlohmann::json()) != point.values)
      throw InputError(file.string(), "is not this sweep's point " + std::to_string(point.index) + ": remove it to run the point again");
    sweep::PointResult result{point.index, {}};
    for (const auto& figures : json.at("replications"))
      result.replications.push_back(figures.get<std::map<std::string, double>>());
    results.push_back(std::move(result));
  }
  return results;
}

void write_point(const Sweep& sweep, const sweep::Point& point, const std::vector<nlohmann::json>& summaries)
{
  nlohmann::json figures = nlohmann::json::array();
  for (const auto& summary : summaries)
    figures.push_back(sweep::summary_figures(summary));
  nlohmann::json json = {{"point", point.index}, {"values", point.values}, {"seeds_from", sweep.first_seed}, {"replications", figures}};
  write_file((sweep.folder / "points" / point_file_name(point.index)).string(), json.dump() + "\n");
}

std::string plot_file_name(const std::string& figure)
{
  std::string name;
  for (char c : figure)
    name += std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' ? c : '_';
  return name + ".svg";
}

// The CSV, and a plot per plotted figure against the first --vary, a line per value of the others.
std::size_t write_outputs(const Sweep& sweep)
{
  auto results = done_results(sweep);
  write_file((sweep.folder / "sweep.csv").string(), sweep::sweep_csv(sweep.variations, sweep.points, results));
  std::map<std::string, std::map<std::string, sweep::PlotSeries>> plots;  // figure → series label → series
  for (const auto& result : results) {
    const auto& point = sweep.points[result.index];
    std::string label;
    for (std::size_t v = 1; v < sweep.variations.size(); ++v)
      label += (label.empty() ? "" : ", ") + sweep.variations[v].path + "=" + point.values[v];
    for (const auto& [name, samples] : result.samples()) {
      if (!sweep::is_plotted_figure(name))
        continue;
      auto interval = sweep::confidence_interval(samples);
      auto& series = plots[name][label];
      series.label = label;
      series.points.push_back({point.values[0], interval.mean, interval.half_width});
    }
  }
  for (const auto& [name, by_label] : plots) {
    std::vector<sweep::PlotSeries> series;
    for (const auto& [label, line] : by_label)
      series.push_back(line);
    write_file((sweep.folder / plot_file_name(name)).string(), sweep::plot_svg(name, sweep.variations[0].path, series));
  }
  return results.size();
}

ReplicationPlan plan_for(const SweepOptions& options, const Sweep& sweep, const sweep::Point& point, int jobs)
{
  ReplicationPlan plan;
  plan.model = options.model;
  auto sets = sweep::point_sets(sweep.variations, point);
  plan.model.sets.insert(plan.model.sets.end(), sets.begin(), sets.end());
  plan.first_seed = sweep.first_seed;
  plan.replications = options.replications;
  plan.jobs = jobs;
  if (options.precision > 0)
    plan.precision = sweep::PrecisionRule{options.precision, std::max<std::size_t>(options.replications, 3), options.max_replications};
  return plan;
}

// Fixed replications: every (point, seed) is one task, -j of them at once; a point is written as soon
// as its last seed is in. Under a precision rule a point decides its own count: points one by one.
void run_points(const SweepOptions& options, const Sweep& sweep, const std::vector<sweep::Point>& pending)
{
  ProgressLine progress(options.precision > 0 ? "points" : "runs", options.precision > 0 ? pending.size() : pending.size() * options.replications,
                        !options.is_quiet);
  if (options.precision > 0) {
    for (const auto& point : pending) {
      auto result = replicate(plan_for(options, sweep, point, options.jobs));
      write_point(sweep, point, result.summaries);
      progress.advance();
    }
    return;
  }
  std::size_t n = options.replications;
  std::vector<std::vector<nlohmann::json>> summaries(pending.size(), std::vector<nlohmann::json>(n));
  std::vector<std::size_t> remaining(pending.size(), n);
  std::mutex mutex;
  run_parallel(pending.size() * n, options.jobs, [&](std::size_t task) {
    std::size_t p = task / n, r = task % n;
    auto plan = plan_for(options, sweep, pending[p], 1);
    summaries[p][r] = run_replication(plan.model, sweep.first_seed + r);
    progress.advance();
    std::lock_guard lock(mutex);
    if (--remaining[p] == 0)
      write_point(sweep, pending[p], summaries[p]);
  });
}

// The command a Slurm task runs: this sweep, exactly, as one step.
std::string step_command(const SweepOptions& options, const Sweep& sweep, const std::string& step)
{
  std::string command = shell_quoted(this_binary()) + " sweep " + shell_quoted(sweep.spec["model"]) + " -o " +
                        shell_quoted(sweep.folder.string()) + " --seed " + std::to_string(sweep.first_seed) + " --quiet";
  if (!options.model.scenario.empty())
    command += " --scenario " + shell_quoted(options.model.scenario);
  for (const auto& set : options.model.sets)
    command += " --set " + shell_quoted(set);
  for (const auto& text : options.vary_texts)
    command += " --vary " + shell_quoted(text);
  command += " --replications " + std::to_string(options.replications);
  if (options.precision > 0)
    command += " --precision " + std::to_string(options.precision) + " --max-replications " + std::to_string(options.max_replications);
  return command + " " + step;
}

void write_slurm(const SweepOptions& options, const Sweep& sweep)
{
  write_slurm_jobs({.folder = sweep.folder / "slurm", .written_by = "archlab sweep --slurm", .job_name = "archlab-sweep",
                    .tasks = sweep.points.size(), .task_log = "point-%a.out",
                    .task_command = step_command(options, sweep, "--point \"$SLURM_ARRAY_TASK_ID\""),
                    .merge_command = step_command(options, sweep, "--merge")});
}

int run_sweep(const SweepOptions& options)
{
  Sweep sweep = prepare(options);
  claim_folder(sweep);
  if (options.writes_slurm) {
    write_slurm(options, sweep);
    if (!options.is_quiet)
      std::cout << "wrote " << (sweep.folder / "slurm").string() << "/: array.sbatch (" << sweep.points.size()
                << " tasks), merge.sbatch; submit both with " << (sweep.folder / "slurm" / "submit.sh").string() << "\n";
    return 0;
  }
  std::set<std::size_t> done;
  for (const auto& result : done_results(sweep))
    done.insert(result.index);
  if (options.point >= 0) {
    auto pending = sweep::pending_points({sweep.points[static_cast<std::size_t>(options.point)]}, done);
    run_points(options, sweep, pending);
    return 0;
  }
  if (!options.is_merge) {
    auto pending = sweep::pending_points(sweep.points, done);
    if (!options.is_quiet && !done.empty())
      std::cout << "resuming: " << done.size() << " of " << sweep.points.size() << " points are done already\n";
    run_points(options, sweep, pending);
  }
  auto written = write_outputs(sweep);
  if (!options.is_quiet)
    std::cout << written << " of " << sweep.points.size() << " points in " << (sweep.folder / "sweep.csv").string() << ", plots beside it\n";
  if (written < sweep.points.size()) {
    std::cerr << "error: " << sweep.points.size() - written << " points are not done (run the sweep again to resume)\n";
    return 1;
  }
  return 0;
}
}  // namespace

void setup_sweep_command(CLI::App& app)
{
  auto options = std::make_shared<SweepOptions>();
  auto* command = app.add_subcommand("sweep", "run a model over a grid of parameter values; one CSV row per point, a plot per figure");
  add_model_options(*command, options->model);
  command->add_option("--vary", options->vary_texts, "PATH=V1,V2,...: a parameter and its values, as --set takes them (repeatable: a grid)")
      ->required();
  command->add_option("--out,-o", options->out_dir, "the sweep's folder: sweep.csv, plots, points/ (what a resumed sweep skips)")->required();
  command->add_option("--replications", options->replications, "seeds per point (the same seeds at every point)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{10000}));
  command->add_option("--precision", options->precision, "per point, add replications until the main figures' 95% half-width is within this share")
      ->check(CLI::Range(1e-6, 1.0));
  command->add_option("--max-replications", options->max_replications, "the bound for --precision")->capture_default_str()
      ->check(CLI::Range(std::size_t{3}, std::size_t{10000}));
  command->add_option("-j,--jobs", options->jobs, "simulations at once, each its own process")->check(CLI::Range(1, 256));
  command->add_flag("--slurm", options->writes_slurm, "write a Slurm job array (a task per point) and a merge step into DIR/slurm/, run nothing");
  command->add_option("--point", options->point, "run one point of the grid (what a Slurm task does)")->check(CLI::NonNegativeNumber);
  command->add_flag("--merge", options->is_merge, "run nothing: write sweep.csv and the plots from the points done");
  command->add_flag("--quiet,-q", options->is_quiet, "print nothing but errors");
  command->callback([options] {
    if (int status = run_sweep(*options); status != 0)
      throw CLI::RuntimeError(status);
  });
}

}  // namespace archlab::cli
