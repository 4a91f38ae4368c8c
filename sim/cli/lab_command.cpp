// archlab lab list | lab show NN: the labs in labs/ (or --labs DIR, or $ARCHLAB_LABS), each a
// folder NN-name with a README (title, one-line goal, steps), a starter model and a rubric.
#include "sim/cli/commands.hpp"
#include "sim/core/problems.hpp"
#include "sim/grading/labs.hpp"

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#ifndef ARCHLAB_LABS_DIR
#define ARCHLAB_LABS_DIR "labs"
#endif

namespace archlab::cli {

namespace {
struct LabOptions {
  std::string labs_dir;
  std::string lab;
  bool is_json = false;
};

std::string labs_dir(const LabOptions& options) { return grading::choose_labs_dir(options.labs_dir, std::getenv("ARCHLAB_LABS"), ARCHLAB_LABS_DIR); }

void list(const LabOptions& options)
{
  auto labs = grading::list_labs(labs_dir(options));
  if (options.is_json) {
    auto out = nlohmann::ordered_json::array();
    for (const auto& lab : labs)
      out.push_back({{"id", lab.id}, {"folder", lab.folder}, {"title", lab.title}, {"goal", lab.goal}});
    std::cout << out.dump(2) << "\n";
    return;
  }
  if (labs.empty())
    std::cout << "no labs in " << labs_dir(options) << "\n";
  for (const auto& lab : labs)
    std::cout << lab.id << "  " << lab.title << "\n    " << lab.goal << "\n";
  if (!labs.empty())
    std::cout << "\n`archlab lab show NN` prints a lab's steps; `archlab grade NN FILE` grades a model.\n";
}

void show(const LabOptions& options)
{
  auto lab = grading::find_lab(options.lab, labs_dir(options));
  std::ifstream in(lab.dir / "README.md");
  if (!in)
    throw InputError((lab.dir / "README.md").string(), "cannot be read");
  std::stringstream text;
  text << in.rdbuf();
  std::cout << text.str();
  std::cout << "\n(lab folder: " << lab.dir.string() << ")\n";
}
}  // namespace

void setup_lab_command(CLI::App& app)
{
  auto options = std::make_shared<LabOptions>();
  auto* command = app.add_subcommand("lab", "the labs: list them, show one's steps");
  command->require_subcommand(1);
  command->fallthrough();  // --labs also after list/show
  command->add_option("--labs", options->labs_dir, "the labs folder (default: $ARCHLAB_LABS, else the source tree's labs/)");
  auto* list_command = command->add_subcommand("list", "every lab with its title and goal");
  list_command->add_flag("--json", options->is_json, "print the list as JSON");
  list_command->callback([options] { list(*options); });
  auto* show_command = command->add_subcommand("show", "print a lab's README: goal, steps, questions, what to hand in");
  show_command->add_option("lab", options->lab, "the lab: its number (00), folder name or path")->required();
  show_command->callback([options] { show(*options); });
}

}  // namespace archlab::cli
