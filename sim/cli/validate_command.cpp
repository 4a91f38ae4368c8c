// archlab validate MODEL: check a model (and each of its scenarios) without running it.
#include "sim/cli/commands.hpp"
#include "sim/core/json_io.hpp"
#include "sim/core/problems.hpp"

#include <iostream>
#include <memory>

namespace archlab::cli {

namespace {
void validate(const ModelOptions& options, bool is_json)
{
  Model model = load_model_from(options);
  std::vector<std::string> checked = {options.scenario.empty() ? "the model as written" : "scenario " + options.scenario};
  auto raw = read_json_file(options.file);
  if (options.scenario.empty()) {
    std::vector<Problem> problems;
    LoadOptions with_scenario;
    with_scenario.sets = options.sets;
    with_scenario.seed = options.seed;
    with_scenario.checks_scenarios = false;  // the model as written had them checked
    for (const auto& name : scenario_names(raw)) {
      with_scenario.scenario = name;
      try {
        model_from_json(raw, options.file, with_scenario);
        checked.push_back("scenario " + name);
      } catch (const InputError& error) {
        for (const auto& problem : error.problems())
          problems.push_back({"scenario " + printable_name(name) + ": " + problem.path, problem.message});
      }
    }
    if (!problems.empty())
      throw InputError(std::move(problems));
  }
  if (is_json) {  // for scripts: the golden-summary test lists scenarios this way
    std::cout << nlohmann::json{{"model", model.name}, {"valid", true}, {"components", model.components().size()},
                                {"scenarios", scenario_names(raw)}}.dump() << "\n";
    return;
  }
  std::cout << options.file << ": valid (" << model.components().size() << " components; checked ";
  for (std::size_t i = 0; i < checked.size(); ++i)
    std::cout << (i ? ", " : "") << checked[i];
  std::cout << ")\n";
}
}  // namespace

void setup_validate_command(CLI::App& app)
{
  auto options = std::make_shared<ModelOptions>();
  auto is_json = std::make_shared<bool>(false);
  auto* command = app.add_subcommand("validate", "check a model and its scenarios without running them");
  add_model_options(*command, *options);
  command->add_flag("--json", *is_json, "print the result as JSON (model, components, scenarios)");
  command->callback([options, is_json] { validate(*options, *is_json); });
}

}  // namespace archlab::cli
