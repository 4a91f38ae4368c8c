#include "sim/cli/commands.hpp"

namespace archlab::cli {

void add_model_options(CLI::App& command, ModelOptions& options)
{
  command.add_option("model", options.file, "the model, a JSON file")->required();
  command.add_option("--scenario,-s", options.scenario, "apply one of the model's named scenarios");
  command.add_option("--seed", options.seed, "replace the model's run.seed")->check(CLI::NonNegativeNumber);
  command.add_option("--set", options.sets, "override a value: path=value, e.g. server.concurrency=4 (repeatable)");
}

Model load_model_from(const ModelOptions& options)
{
  LoadOptions load;
  load.scenario = options.scenario;
  load.sets = options.sets;
  load.seed = options.seed;
  return load_model(options.file, load);
}

}  // namespace archlab::cli
