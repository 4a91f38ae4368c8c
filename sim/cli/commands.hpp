// One file per subcommand; each registers itself on the app and runs from its callback.
// Errors: InputError (bad model or flag) → exit 2; anything else while running → exit 1.
#pragma once

#include "sim/core/model.hpp"

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

namespace archlab::cli {

void setup_run_command(CLI::App& app);
void setup_validate_command(CLI::App& app);
void setup_explain_command(CLI::App& app);
void setup_theory_command(CLI::App& app);
void setup_diagram_command(CLI::App& app);
void setup_analyze_command(CLI::App& app);
void setup_lab_command(CLI::App& app);
void setup_grade_command(CLI::App& app);
void setup_compare_command(CLI::App& app);
void setup_report_command(CLI::App& app);
void setup_sweep_command(CLI::App& app);

// The options every command that reads a model shares: MODEL, --scenario, --seed, --set.
struct ModelOptions {
  std::string file;
  std::string scenario;
  std::int64_t seed = -1;
  std::vector<std::string> sets;
};
void add_model_options(CLI::App& command, ModelOptions& options);
Model load_model_from(const ModelOptions& options);

// Writes beside the file, then renames: a reader never sees half a file. Throws InputError when the
// place cannot be written.
void write_file(const std::string& file, const std::string& content);

// An output folder (run --out): checked before any work (it, or the nearest folder above it that
// exists, must be a writable folder; no dangling link; no file name taken by a folder), then written
// all or nothing: the files go to a hidden folder beside (or inside) it and are renamed at the end.
struct OutputFile {
  std::string name;
  std::string content;
};
void check_output_folder(const std::string& folder, const std::vector<std::string>& file_names);
void write_output_folder(const std::string& folder, const std::vector<OutputFile>& files);

// The same, for a run that streams a file while it goes (events.log): the hidden folder exists from
// the start, `staged(name)` is where to stream, and commit() writes the rest and renames all into
// place. Destroyed without a commit, it leaves nothing.
class StagedOutputFolder {
public:
  explicit StagedOutputFolder(const std::string& folder);
  ~StagedOutputFolder();
  StagedOutputFolder(const StagedOutputFolder&) = delete;
  StagedOutputFolder& operator=(const StagedOutputFolder&) = delete;

  std::string staged(const std::string& name) const { return (staging_ / name).string(); }
  // `files` are written now; `streamed` names files already written at staged(name).
  void commit(const std::vector<OutputFile>& files, const std::vector<std::string>& streamed = {});

private:
  void abandon();
  std::string folder_;
  std::filesystem::path path_;
  std::filesystem::path staging_;
  std::vector<std::filesystem::path> created_;  // folders above it this run makes
  bool existed_ = false;
  bool is_done_ = false;
};

}  // namespace archlab::cli
