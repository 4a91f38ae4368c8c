#include "sim/grading/submission.hpp"

#include "sim/core/json_io.hpp"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

namespace archlab::grading {

namespace fs = std::filesystem;

namespace {
void collect(const nlohmann::json& node, const std::string& path, std::vector<FileReference>& found)
{
  if (node.is_object()) {
    for (auto& [key, value] : node.items()) {
      if (key == "file" && value.is_string())
        found.push_back({join_path(path, key), value.get<std::string>()});
      collect(value, join_path(path, key), found);
    }
  } else if (node.is_array()) {
    for (std::size_t i = 0; i < node.size(); ++i)
      collect(node[i], join_path(path, i), found);
  }
}

bool is_within(const fs::path& inner, const fs::path& outer)
{
  auto [outer_end, inner_at] = std::mismatch(outer.begin(), outer.end(), inner.begin(), inner.end());
  return outer_end == outer.end();
}

Student student_in(const fs::path& folder, const std::string& submission_file)
{
  std::error_code error;
  auto name = fs::weakly_canonical(folder, error).filename().string();  // "alice/" and "." have names too
  Student student{name.empty() ? folder.string() : name, folder, folder / submission_file, ""};
  if (!fs::is_regular_file(student.file, error))
    student.missing = "no " + submission_file + " in the folder " + student.name;
  return student;
}
}  // namespace

std::vector<FileReference> file_references(const nlohmann::json& model)
{
  std::vector<FileReference> found;
  collect(model, "", found);
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

nlohmann::json graded_document(nlohmann::json model, const nlohmann::json& lab_scenarios)
{
  if (!model.is_object())
    return model;
  model.erase("scenarios");
  if (lab_scenarios.is_object() && !lab_scenarios.empty())
    model["scenarios"] = lab_scenarios;
  return model;
}

std::optional<nlohmann::json> read_submission(const fs::path& file, const std::string& shown_name, std::uintmax_t max_bytes,
                                              std::vector<Problem>& problems)
{
  std::error_code error;
  auto size = fs::file_size(file, error);
  if (error) {
    problems.push_back({shown_name, "cannot be read"});
    return std::nullopt;
  }
  if (size > max_bytes) {
    problems.push_back({shown_name, "is " + std::to_string(size / 1024) + " KiB; a model is at most " + std::to_string(max_bytes / 1024) + " KiB"});
    return std::nullopt;
  }
  std::ifstream in(file, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  if (!in && !in.eof()) {
    problems.push_back({shown_name, "cannot be read"});
    return std::nullopt;
  }
  try {
    auto model = parse_json_text(text.str(), shown_name);
    if (!model.is_object()) {
      problems.push_back({shown_name, "a model is a JSON object {name, components, run}"});
      return std::nullopt;
    }
    return model;
  } catch (const InputError& syntax) {
    problems.insert(problems.end(), syntax.problems().begin(), syntax.problems().end());
    return std::nullopt;
  }
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
      if (fs::is_regular_file(path / submission_file, error)) {
        students.push_back(student_in(path, submission_file));
        continue;
      }
      std::vector<fs::path> folders;
      for (const auto& entry : fs::directory_iterator(path, error))
        if (entry.is_directory())
          folders.push_back(entry.path());
      if (folders.empty())
        throw InputError(argument, "holds no " + submission_file + " and no student folders");
      std::sort(folders.begin(), folders.end());
      is_batch = true;
      for (const auto& folder : folders)
        students.push_back(student_in(folder, submission_file));
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
