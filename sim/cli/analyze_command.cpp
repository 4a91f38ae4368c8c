// archlab analyze MODEL [--json]: structural advice without running anything: single points of failure,
// synchronous call cycles, unreachable components, the longest synchronous chain and fan-out.
// Findings are advice, so the exit status is 0 even when there are some (2 on bad input).
#include "sim/analysis/architecture.hpp"
#include "sim/analysis/findings.hpp"
#include "sim/cli/commands.hpp"

#include <iostream>
#include <memory>

namespace archlab::cli {

namespace {

struct AnalyzeOptions {
  ModelOptions model;
  bool is_json = false;
};

void analyze(const AnalyzeOptions& options)
{
  Model model = load_model_from(options.model);
  auto findings = analysis::analyze(analysis::build_architecture(model.components()));
  if (options.is_json)
    std::cout << analysis::findings_json(model.name, findings).dump(2) << "\n";
  else
    std::cout << analysis::findings_text(model.name, findings);
}

}  // namespace

void setup_analyze_command(CLI::App& app)
{
  auto options = std::make_shared<AnalyzeOptions>();
  auto* command = app.add_subcommand("analyze", "find single points of failure, call cycles, unreachable parts, long chains, fan-out");
  add_model_options(*command, options->model);
  command->add_flag("--json", options->is_json, "print the findings as JSON");
  command->callback([options] { analyze(*options); });
}

}  // namespace archlab::cli
