// archlab: simulate, draw and grade cloud architectures. See README.md.
#include "sim/cli/commands.hpp"
#include "sim/core/problems.hpp"

#include <iostream>

int main(int argc, char** argv)
{
  CLI::App app{"archlab: simulate cloud architectures described as JSON models"};
  app.require_subcommand(1);
  // Every error line starts with "error:", CLI11's own (a bad flag) as much as archlab's.
  app.failure_message([](const CLI::App*, const CLI::Error& error) {
    return "error: " + std::string(error.what()) + "\n(--help lists the options)\n";
  });
  app.set_version_flag("--version", std::string(ARCHLAB_VERSION));
  archlab::cli::setup_run_command(app);
  archlab::cli::setup_validate_command(app);
  archlab::cli::setup_explain_command(app);
  archlab::cli::setup_theory_command(app);
  archlab::cli::setup_diagram_command(app);
  archlab::cli::setup_analyze_command(app);
  archlab::cli::setup_lab_command(app);
  archlab::cli::setup_grade_command(app);
  archlab::cli::setup_compare_command(app);
  archlab::cli::setup_report_command(app);
  archlab::cli::setup_sweep_command(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::RuntimeError& error) {  // a command's own verdict, e.g. theory --check
    return error.get_exit_code();
  } catch (const CLI::ParseError& error) {
    return app.exit(error) == 0 ? 0 : 2;
  } catch (const archlab::InputError& error) {
    for (const auto& problem : error.problems())
      std::cerr << "error: " << (problem.path.empty() ? "" : problem.path + ": ") << problem.message << "\n";
    return 2;
  } catch (const std::exception& error) {
    std::cerr << "archlab: the run failed: " << error.what() << "\n";
    return 1;
  }
  return 0;
}
