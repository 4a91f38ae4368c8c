// archlab compare MODEL RESULT.json [--map FILE] [--scenario S] [--seed N] [--replications R] [--set k=v]... [--json]
// Simulates the load a real run measured (archlab-loadgen's JSON), with the model calibrated from
// that run's call timings, and prints the prediction error per figure. The map from measured
// figures to model parameters is data: models/compare/<model>.json by default.
//
// The real run is one sample; so is one simulation, and a p99 of a hundred jobs moves by a fifth
// from one seed to the next. The model's figure is the mean over R runs (seeds seed, seed + 1, ...),
// with their range beside it, so the error is the model's and not one seed's luck.
#include "sim/cli/commands.hpp"
#include "sim/cli/progress.hpp"
#include "sim/compare/calibration.hpp"
#include "sim/core/json_io.hpp"
#include "sim/core/problems.hpp"
#include "sim/run/simulation.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <memory>

namespace archlab::cli {

namespace {
struct CompareOptions {
  ModelOptions model;
  std::string result_file;
  std::string map_file;
  int replications = 10;
  bool is_json = false;
};

// Simulates `model` in a forked child and returns its summary (the child writes it to a pipe).
nlohmann::json summary_from_child(const Model& model)
{
  int pipe_ends[2];
  if (::pipe(pipe_ends) != 0)
    throw std::runtime_error(std::string("compare: pipe failed: ") + std::strerror(errno));
  std::cout.flush();
  std::cerr.flush();
  pid_t child = ::fork();
  if (child < 0)
    throw std::runtime_error(std::string("compare: fork failed: ") + std::strerror(errno));
  if (child == 0) {
    ::close(pipe_ends[0]);
    int status = 0;
    try {
      auto text = simulate(model, SimulationOptions{}).summary.dump();
      for (std::size_t written = 0; written < text.size();) {
        auto n = ::write(pipe_ends[1], text.data() + written, text.size() - written);
        if (n <= 0) {
          status = 1;
          break;
        }
        written += static_cast<std::size_t>(n);
      }
    } catch (const std::exception& error) {
      std::cerr << "archlab compare: a replication failed: " << error.what() << "\n";
      status = 1;
    }
    ::_exit(status);
  }
  ::close(pipe_ends[1]);
  std::string text;
  char buffer[65536];
  for (ssize_t n; (n = ::read(pipe_ends[0], buffer, sizeof buffer)) != 0;) {
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      break;
    text.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(pipe_ends[0]);
  int status = 0;
  while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    throw std::runtime_error("compare: a replication's simulation failed (see above)");
  return nlohmann::json::parse(text);
}

// Each figure's mean over the replications' summaries, and its range ({min, max}).
struct ReplicatedFigures {
  nlohmann::json mean = nlohmann::json::object();
  nlohmann::json range = nlohmann::json::object();
};

ReplicatedFigures replicated_figures(const compare::CalibrationMap& map, const std::vector<nlohmann::json>& summaries)
{
  ReplicatedFigures out;
  for (const auto& figure : map.figures) {
    nlohmann::json::json_pointer pointer(figure.simulated);
    double sum = 0, low = 0, high = 0;
    std::size_t count = 0;
    for (const auto& summary : summaries) {
      if (!summary.contains(pointer) || !summary.at(pointer).is_number())
        continue;
      double value = summary.at(pointer).get<double>();
      low = count == 0 ? value : std::min(low, value);
      high = count == 0 ? value : std::max(high, value);
      sum += value;
      ++count;
    }
    if (count == summaries.size() && count > 0) {  // a figure some run lacks has no mean
      out.mean[pointer] = sum / static_cast<double>(count);
      out.range[figure.name] = {{"min", low}, {"max", high}};
    }
  }
  return out;
}

std::filesystem::path default_map(const std::string& model_file)
{
  auto model = std::filesystem::path(model_file);
  return model.parent_path() / "compare" / (model.stem().string() + ".json");
}

void compare(const CompareOptions& options)
{
  auto measured = read_json_file(options.result_file);
  auto map_file = options.map_file.empty() ? default_map(options.model.file) : std::filesystem::path(options.map_file);
  if (!std::filesystem::exists(map_file))
    throw InputError("--map", map_file.string() + " does not exist (a calibration map says which measured figures set which model parameters; see models/compare/)");
  auto map = compare::read_calibration_map(read_json_file(map_file), map_file.string());

  ModelOptions model_options = options.model;
  auto calibration = compare::calibration_sets(map, measured, options.result_file);
  // The student's own --sets come last, so they can override a calibrated value on purpose.
  model_options.sets.insert(model_options.sets.begin(), calibration.begin(), calibration.end());
  Model first = load_model_from(model_options);
  std::int64_t first_seed = model_options.seed >= 0 ? model_options.seed : static_cast<std::int64_t>(first.run.seed);
  // SimGrid runs one simulation per process: the other seeds run in children, this one here last.
  std::vector<nlohmann::json> summaries;
  {
    ProgressLine progress("replications", static_cast<std::size_t>(options.replications));  // on a terminal only
    for (int replication = 1; replication < options.replications; ++replication) {
      model_options.seed = first_seed + replication;
      summaries.push_back(summary_from_child(load_model_from(model_options)));
      progress.advance();
    }
    summaries.push_back(simulate(first, SimulationOptions{}).summary);
    progress.advance();
  }
  auto figures = replicated_figures(map, summaries);

  auto comparison = compare::compare_figures(map, figures.mean, measured);
  for (auto& row : comparison["figures"])
    if (figures.range.contains(row["figure"].get<std::string>()))
      row["simulated_range"] = figures.range[row["figure"].get<std::string>()];
  comparison["replications"] = {{"count", options.replications}, {"seeds_from", first_seed}};
  comparison["calibration"] = calibration;
  comparison["model"] = options.model.file;
  comparison["measured"] = options.result_file;
  if (options.is_json) {
    std::cout << comparison.dump(2) << "\n";
    return;
  }
  std::cout << "model " << options.model.file << " calibrated from " << options.result_file << " (simulated: the mean of "
            << options.replications << " runs, seeds " << first_seed << " to " << first_seed + options.replications - 1 << "):\n";
  for (const auto& assignment : calibration)
    std::cout << "  --set " << assignment << "\n";
  std::cout << "\n" << compare::comparison_table(comparison);
}
}  // namespace

void setup_compare_command(CLI::App& app)
{
  auto options = std::make_shared<CompareOptions>();
  auto* command = app.add_subcommand("compare", "simulate a measured real run's load and report the prediction error per figure");
  add_model_options(*command, options->model);
  command->add_option("result", options->result_file, "the measured run: archlab-loadgen's JSON")->required();
  command->add_option("--map", options->map_file, "the calibration map (default: compare/<model name>.json beside the model)");
  command->add_option("--replications", options->replications, "simulate this many times (seeds seed, seed + 1, ...) and compare the mean")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  command->add_flag("--json", options->is_json, "print the comparison as JSON");
  command->callback([options] { compare(*options); });
}

}  // namespace archlab::cli
