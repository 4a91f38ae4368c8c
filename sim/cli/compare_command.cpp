// archlab compare MODEL RESULT.json [--map FILE] [--scenario S] [--seed N] [--set k=v]... [--json]
// Simulates the load a real run measured (archlab-loadgen's JSON), with the model calibrated from
// that run's stage timings, and prints the prediction error per figure. The map from measured
// figures to model parameters is data: models/compare/<model>.json by default.
#include "sim/cli/commands.hpp"
#include "sim/compare/calibration.hpp"
#include "sim/core/json_io.hpp"
#include "sim/core/problems.hpp"
#include "sim/core/simulation.hpp"

#include <filesystem>
#include <iostream>
#include <memory>

namespace archlab::cli {

namespace {
struct CompareOptions {
  ModelOptions model;
  std::string result_file;
  std::string map_file;
  bool is_json = false;
};

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
  Model model = load_model_from(model_options);
  SimulationResult result = simulate(model, SimulationOptions{});

  auto comparison = compare::compare_figures(map, result.summary, measured);
  comparison["calibration"] = calibration;
  comparison["model"] = options.model.file;
  comparison["measured"] = options.result_file;
  if (options.is_json) {
    std::cout << comparison.dump(2) << "\n";
    return;
  }
  std::cout << "model " << options.model.file << " calibrated from " << options.result_file << ":\n";
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
  command->add_flag("--json", options->is_json, "print the comparison as JSON");
  command->callback([options] { compare(*options); });
}

}  // namespace archlab::cli
