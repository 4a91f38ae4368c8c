// archlab diagram MODEL [-o FILE.svg|.png|.dot] [--run DIR]: draw the architecture, optionally with the
// figures of a run. Without -o the DOT text goes to stdout.
#include "sim/analysis/architecture.hpp"
#include "sim/cli/commands.hpp"
#include "sim/core/problems.hpp"
#include "sim/diagram/graphviz_diagram.hpp"
#include "sim/diagram/run_figures.hpp"

#include <iostream>
#include <memory>
#include <optional>

namespace archlab::cli {

namespace {

struct DiagramCommandOptions {
  ModelOptions model;
  std::string output;  // empty: DOT on stdout
  std::string run_folder;
};

void draw(const DiagramCommandOptions& options)
{
  Model model = load_model_from(options.model);
  auto architecture = analysis::build_architecture(model.components());
  // Checked before any work, so that a wrong -o gives its error at once.
  auto format = options.output.empty() ? diagram::OutputFormat::dot : diagram::format_for_path(options.output);
  std::optional<diagram::RunFigures> run;
  if (!options.run_folder.empty()) {
    std::set<std::string> ids;
    for (const auto& component : architecture.components)
      ids.insert(component.id);
    run = diagram::read_run_folder(options.run_folder, model.name, ids);
  }
  diagram::DiagramOptions drawing;
  drawing.title = model.name + (model.scenario.empty() ? "" : " — scenario " + model.scenario) +
                  (run ? " — figures of a run" : "");
  drawing.run = run ? &*run : nullptr;
  std::string bytes = diagram::render_diagram(architecture, drawing, format);
  if (options.output.empty()) {
    std::cout << bytes;
    return;
  }
  write_file(options.output, bytes);
}

}  // namespace

void setup_diagram_command(CLI::App& app)
{
  auto options = std::make_shared<DiagramCommandOptions>();
  auto* command = app.add_subcommand("diagram", "draw a model's architecture (SVG, PNG or DOT), optionally with a run's figures");
  add_model_options(*command, options->model);
  command->add_option("-o,--output", options->output, "write the picture here: FILE.svg, FILE.png or FILE.dot (default: DOT on stdout)");
  command->add_option("--run", options->run_folder, "a folder written by `archlab run MODEL --out DIR`: paint its figures on the picture");
  command->callback([options] { draw(*options); });
}

}  // namespace archlab::cli
