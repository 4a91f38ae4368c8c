#include "sim/cli/commands.hpp"
#include "sim/core/problems.hpp"

#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace archlab::cli {

namespace fs = std::filesystem;

namespace {
// The largest integer a double holds exactly: run.seed's limit too.
constexpr std::int64_t max_seed = 9007199254740991;

void write_bytes(const fs::path& file, const std::string& content)
{
  std::ofstream out(file, std::ios::binary);
  out << content;
  out.close();
  if (!out)
    throw InputError(file.string(), "cannot be written");
}

bool is_dangling_link(const fs::path& path)
{
  std::error_code error;
  return fs::is_symlink(fs::symlink_status(path, error)) && !fs::exists(path, error);
}

// Absolute and normal, and "out/" names the folder out.
fs::path folder_path(const std::string& folder)
{
  std::error_code error;
  fs::path path = fs::absolute(folder, error).lexically_normal();
  return path.has_relative_path() && !path.has_filename() ? path.parent_path() : path;
}

void remove_quietly(const fs::path& path)
{
  std::error_code ignored;
  fs::remove_all(path, ignored);
}
}  // namespace

void add_model_options(CLI::App& command, ModelOptions& options)
{
  command.add_option("model", options.file, "the model, a JSON file")->required();
  command.add_option("--scenario,-s", options.scenario, "apply one of the model's named scenarios");
  command.add_option("--seed", options.seed, "replace the model's run.seed (0.." + std::to_string(max_seed) + ")")
      ->check(CLI::Range(std::int64_t{0}, max_seed));
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
  try {
    write_bytes(partial, content);
  } catch (const InputError&) {
    remove_quietly(partial);
    throw InputError(file, "cannot be written");
  }
  std::error_code error;
  fs::rename(partial, file, error);
  if (error) {
    remove_quietly(partial);
    throw InputError(file, "cannot be written: " + error.message());
  }
}

void check_output_folder(const std::string& folder, const std::vector<std::string>& file_names)
{
  auto where = "--out " + folder;
  std::error_code error;
  auto path = folder_path(folder);
  // The folder itself or, when it does not exist yet, the nearest folder above it that does.
  fs::path existing = path;
  while (!fs::exists(fs::symlink_status(existing, error))) {
    if (!existing.has_relative_path())
      throw InputError(where, "no folder above it exists");
    existing = existing.parent_path();
  }
  if (is_dangling_link(existing))
    throw InputError(where, (existing == path ? std::string("is") : existing.string() + " is") + " a link to nothing (" +
                                fs::read_symlink(existing, error).string() + ")");
  if (!fs::is_directory(existing, error))
    throw InputError(where, existing == path ? "exists and is not a folder" : "is inside " + existing.string() + ", which is not a folder");
  if (access(existing.c_str(), W_OK | X_OK) != 0)
    throw InputError(where, (existing == path ? std::string("is") : existing.string() + " is") + " not writable");
  if (existing == path)
    for (const auto& name : file_names)
      if (fs::is_directory(path / name, error) || is_dangling_link(path / name))
        throw InputError(where, (path / name).string() + " is in the way (a folder or a dangling link where the file goes)");
}

void write_output_folder(const std::string& folder, const std::vector<OutputFile>& files)
{
  StagedOutputFolder staged(folder);
  staged.commit(files);
}

StagedOutputFolder::StagedOutputFolder(const std::string& folder) : folder_(folder), path_(folder_path(folder))
{
  std::error_code error;
  existed_ = fs::is_directory(path_, error);
  for (auto above = path_.parent_path(); !existed_ && !fs::exists(above, error) && above.has_relative_path(); above = above.parent_path())
    created_.push_back(above);
  staging_ = existed_ ? path_ / (".archlab-partial-" + std::to_string(getpid()))
                      : path_.parent_path() / ("." + path_.filename().string() + ".partial-" + std::to_string(getpid()));
  try {
    fs::create_directories(staging_);
  } catch (const std::exception& failure) {
    abandon();
    throw InputError("--out " + folder, std::string("cannot be written: ") + failure.what());
  }
}

StagedOutputFolder::~StagedOutputFolder()
{
  if (!is_done_)
    abandon();
}

void StagedOutputFolder::abandon()
{
  std::error_code error;
  remove_quietly(staging_);
  for (const auto& folder_above : created_)  // deepest first; only the empty ones this run made
    fs::remove(folder_above, error);
  is_done_ = true;
}

void StagedOutputFolder::commit(const std::vector<OutputFile>& files, const std::vector<std::string>& streamed)
{
  try {
    for (const auto& file : files)
      write_bytes(staging_ / file.name, file.content);
    if (existed_) {
      for (const auto& file : files)
        fs::rename(staging_ / file.name, path_ / file.name);
      for (const auto& name : streamed)
        fs::rename(staging_ / name, path_ / name);
      fs::remove(staging_);
    } else {
      fs::rename(staging_, path_);
    }
    is_done_ = true;
  } catch (const std::exception& failure) {
    abandon();
    throw InputError("--out " + folder_, std::string("cannot be written: ") + failure.what());
  }
}

}  // namespace archlab::cli
