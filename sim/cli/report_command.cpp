// archlab report RUN_DIR [-o FILE.html] [--model MODEL]: the run report, one self-contained HTML page
// (sim/webreport/), from a folder written by `archlab run MODEL --out DIR`.
#include "sim/cli/commands.hpp"
#include "sim/cli/run_report.hpp"
#include "sim/core/problems.hpp"
#include "sim/diagram/run_figures.hpp"

#include <filesystem>
#include <fstream>
#include <memory>
#include <unistd.h>

namespace archlab::cli {

namespace fs = std::filesystem;

namespace {

struct ReportCommandOptions {
  std::string run_folder;
  std::string output;      // default: RUN_DIR/report.html
  std::string model_file;  // for a run folder without model.json
};

nlohmann::json read_json(const fs::path& file)
{
  std::ifstream in(file);
  if (!in)
    throw InputError(file.string(), "missing: this is not a folder written by `archlab run MODEL --out DIR`");
  try {
    return nlohmann::json::parse(in);
  } catch (const nlohmann::json::parse_error& error) {
    throw InputError(file.string(), std::string("not valid JSON: ") + error.what());
  }
}

// The model the run was of: model.json in the folder (written by run --out), or --model with the
// run's scenario and seed.
Model run_model(const ReportCommandOptions& options, const nlohmann::json& summary)
{
  if (!options.model_file.empty()) {
    LoadOptions load;
    if (summary.contains("scenario") && summary.at("scenario").is_string())
      load.scenario = summary.at("scenario").get<std::string>();
    return load_model(options.model_file, load);
  }
  const fs::path file = fs::path(options.run_folder) / "model.json";
  if (!fs::exists(file))
    throw InputError(file.string(), "missing: run the model again with `archlab run MODEL --out DIR` (it writes model.json), or "
                                    "name the model with --model MODEL");
  return model_from_json(read_json(file), file);
}

// Before any work: the page goes to a file in a writable folder, and not where a folder is.
void check_output_file(const std::string& file)
{
  const fs::path path = fs::absolute(file).lexically_normal();
  std::error_code error;
  if (fs::is_directory(path, error))
    throw InputError("-o " + file, "is a folder: name the page's file, e.g. " + (path / "report.html").string());
  const fs::path folder = path.parent_path();
  if (!fs::is_directory(folder, error))
    throw InputError("-o " + file, "its folder " + folder.string() + " does not exist");
  if (access(folder.c_str(), W_OK | X_OK) != 0)
    throw InputError("-o " + file, "its folder " + folder.string() + " is not writable");
}

void report(const ReportCommandOptions& options)
{
  const fs::path folder = options.run_folder;
  if (!fs::is_directory(folder))
    throw InputError(options.run_folder, "no such run folder (write one with `archlab run MODEL --out " + options.run_folder + "`)");
  const std::string output = options.output.empty() ? (folder / "report.html").string() : options.output;
  check_output_file(output);
  const nlohmann::json summary = read_json(folder / "summary.json");
  Model model = run_model(options, summary);
  std::set<std::string> ids;
  for (const auto& [id, params] : model.components().items())
    ids.insert(id);
  diagram::read_run_folder(folder, model.name, ids);  // the run is of this model
  for (const char* name : {"signals.csv", "events.log"})
    if (!fs::is_regular_file(folder / name))
      throw InputError((folder / name).string(), "missing: the report needs it (write the folder with `archlab run MODEL --out DIR`)");
  std::ifstream signals(folder / "signals.csv"), events(folder / "events.log");
  write_file(output, run_report_html(model.document, summary, signals, (folder / "signals.csv").string(), events));
}

}  // namespace

void setup_report_command(CLI::App& app)
{
  auto options = std::make_shared<ReportCommandOptions>();
  auto* command = app.add_subcommand("report", "write a run's report: one HTML page with its diagram replayed on a timeline, plots, summary, bill and events");
  command->add_option("run_dir", options->run_folder, "a folder written by `archlab run MODEL --out DIR`")->required();
  command->add_option("-o,--output", options->output, "the page to write (default: RUN_DIR/report.html)");
  command->add_option("--model", options->model_file, "the model, when the folder has no model.json (its scenario is the run's)");
  command->callback([options] { report(*options); });
}

}  // namespace archlab::cli
