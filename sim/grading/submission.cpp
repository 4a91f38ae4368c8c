#include "sim/grading/submission.hpp"

#include "sim/core/json_io.hpp"
#include "sim/grading/safe_files.hpp"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

namespace archlab::grading {

namespace fs = std::filesystem;

namespace {
// Iterative: a submission is data a student wrote, so its depth is theirs to choose.
// Depth first, as written, but without recursion: a submission's depth is the student's to choose.
void collect(const nlohmann::json& root, std::vector<FileReference>& found)
{
  struct Pending {
    const nlohmann::json* node;
    std::string path;
    bool is_file_member;
  };
  std::vector<Pending> pending = {{&root, "", false}};
  while (!pending.empty()) {
    auto [node, path, is_file_member] = std::move(pending.back());
    pending.pop_back();
    if (is_file_member && node->is_string())
      found.push_back({path, node->get<std::string>()});
    if (node->is_object()) {
      for (auto it = node->rbegin(); it != node->rend(); ++it)
        pending.push_back({&it.value(), join_path(path, it.key()), it.key() == "file"});
    } else if (node->is_array()) {
      for (std::size_t i = node->size(); i-- > 0;)
        pending.push_back({&(*node)[i], join_path(path, i), false});
    }
  }
}

bool is_within(const fs::path& inner, const fs::path& outer)
{
  auto [outer_end, inner_at] = std::mismatch(outer.begin(), outer.end(), inner.begin(), inner.end());
  return outer_end == outer.end();
}

Student student_in(const fs::path& folder, const std::string& name, const std::string& submission_file)
{
  Student student{name, folder, folder / submission_file, ""};
  std::error_code error;
  auto status = fs::symlink_status(student.file, error);
  if (error || !fs::exists(status))
    student.missing = "no " + submission_file + " in the folder " + name;
  else if (fs::is_directory(status))
    student.missing = submission_file + " in the folder " + name + " is a folder, not a file";
  return student;
}

// "alice/" and "." have names too; a class's own entries are named as listed, never as resolved.
std::string folder_name(const fs::path& folder)
{
  std::error_code error;
  auto name = fs::weakly_canonical(folder, error).filename().string();
  return name.empty() ? folder.string() : name;
}
}  // namespace

std::vector<FileReference> file_references(const nlohmann::json& model)
{
  std::vector<FileReference> found;
  collect(model, found);
  return found;
}

bool leaves_folder(const std::string& reference)
{
  fs::path path(reference);
  if (reference.empty() || path.is_absolute() || path.has_root_name() || path.has_root_directory())
    return true;
  int depth = 0;
  for (const auto& part : path.lexically_normal()) {
    if (part == "..")
      --depth;
    else if (part != "." && !part.empty())
      ++depth;
    if (depth < 0)
      return true;
  }
  return false;
}

std::vector<Problem> unsafe_references(const std::vector<FileReference>& references, const fs::path& folder)
{
  std::vector<Problem> problems;
  std::error_code error;
  auto root = fs::weakly_canonical(folder, error);
  for (const auto& reference : references) {
    if (leaves_folder(reference.value)) {
      problems.push_back({reference.path, "'" + reference.value + "' is outside the submission folder: a submission may only name files beside it"});
      continue;
    }
    // A link inside the folder may still lead out of it: follow it.
    auto resolved = fs::weakly_canonical(folder / reference.value, error);
    if (error || !is_within(resolved, root))
      problems.push_back({reference.path, "'" + reference.value + "' leads outside the submission folder: a submission may only name files beside it"});
  }
  return problems;
}

std::string graded_text(nlohmann::json& model, const nlohmann::json& lab_scenarios)
{
  auto own = model.find("scenarios");
  std::optional<nlohmann::json> kept;
  if (own != model.end()) {
    kept = std::move(*own);
    model.erase(own);
  }
  if (lab_scenarios.is_object() && !lab_scenarios.empty())
    model["scenarios"] = lab_scenarios;
  auto text = model.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  model.erase("scenarios");
  if (kept)
    model["scenarios"] = std::move(*kept);
  return text;
}

std::optional<nlohmann::json> read_submission(const fs::path& file, const std::string& shown_name, std::uintmax_t max_bytes,
                                              std::vector<Problem>& problems)
{
  auto read = read_student_file(file.has_parent_path() ? file.parent_path() : fs::path("."), file.filename().string(), max_bytes);
  if (!read.data) {
    problems.push_back({shown_name, read.problem});
    return std::nullopt;
  }
  // Checked before parsing: a document nested 100,000 deep must never reach a recursive walk.
  if (auto deep = nesting_deeper_than(*read.data, max_model_nesting)) {
    problems.push_back({shown_name + ":" + std::to_string(deep->line) + ":" + std::to_string(deep->column),
                        "nests deeper than " + std::to_string(max_model_nesting) + " levels of objects and arrays; a model needs a handful"});
    return std::nullopt;
  }
  try {
    auto model = parse_json_text(*read.data, shown_name);
    if (!model.is_object()) {
      problems.push_back({shown_name, "a model is a JSON object {name, components, run}"});
      return std::nullopt;
    }
    return model;
  } catch (const InputError& syntax) {
    problems.insert(problems.end(), syntax.problems().begin(), syntax.problems().end());
  } catch (const nlohmann::json::out_of_range&) {
    problems.push_back({shown_name, "holds a number too large for a double (such as 1e999)"});
  } catch (const std::exception&) {
    problems.push_back({shown_name, "is not valid JSON"});
  }
  return std::nullopt;
}

std::vector<Student> find_students(const std::vector<std::string>& arguments, const std::string& submission_file, bool& is_batch)
{
  std::vector<Student> students;
  is_batch = arguments.size() > 1;
  for (const auto& argument : arguments) {
    fs::path path(argument);
    std::error_code error;
    if (fs::is_regular_file(path, error)) {
      // A file named like the rubric's submission is known by its folder (alice/submission.json → alice).
      auto name = path.filename() == submission_file && path.has_parent_path() ? path.parent_path().filename().string() : path.stem().string();
      students.push_back({name, path.has_parent_path() ? path.parent_path() : fs::path("."), path, ""});
    } else if (fs::is_directory(path, error)) {
      // Anything called like the submission file makes the folder one submission, even a folder
      // or a link (then graded as missing), never a class of the student's sub-folders.
      if (fs::exists(fs::symlink_status(path / submission_file, error))) {
        students.push_back(student_in(path, folder_name(path), submission_file));
        continue;
      }
      std::vector<std::pair<std::string, std::string>> entries;  // name, why it is not graded
      for (auto it = fs::directory_iterator(path, error); !error && it != fs::directory_iterator(); it.increment(error)) {
        auto name = it->path().filename().string();
        std::error_code entry_error;
        auto status = it->symlink_status(entry_error);
        if (fs::is_directory(status))
          entries.emplace_back(name, "");
        else if (fs::is_symlink(status) && !fs::is_regular_file(it->path(), entry_error))
          entries.emplace_back(name, name + " is a link, not a folder: a student's submission is a folder of its own (not graded)");
      }
      if (error)
        throw InputError(argument, "cannot be listed: " + error.message());
      if (entries.empty())
        throw InputError(argument, "holds no " + submission_file + " and no student folders");
      std::sort(entries.begin(), entries.end());
      is_batch = true;
      for (const auto& [name, refused] : entries) {
        if (refused.empty()) {
          students.push_back(student_in(path / name, name, submission_file));
        } else {
          students.push_back({name, path / name, path / name / submission_file, refused});
        }
      }
    } else {
      throw InputError(argument, "no such file or folder");
    }
  }
  std::set<std::string> names;
  for (const auto& student : students)
    if (!names.insert(student.name).second)
      throw InputError(student.file.string(), "another submission is also called '" + student.name + "'; give each student its own folder");
  return students;
}

}  // namespace archlab::grading
