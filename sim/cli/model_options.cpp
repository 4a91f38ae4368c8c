#include "sim/cli/commands.hpp"
#include "sim/core/problems.hpp"

#include <filesystem>
#include <fstream>

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

void write_file(const std::string& file, const std::string& content)
{
  auto partial = file + ".partial";
  {
    std::ofstream out(partial, std::ios::binary);
    out << content;
    if (!out) {
      std::error_code ignored;
      std::filesystem::remove(partial, ignored);
      throw InputError(file, "cannot be written");
    }
  }
  std::filesystem::rename(partial, file);
}

}  // namespace archlab::cli
