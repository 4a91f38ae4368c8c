#include "sim/grading/labs.hpp"

#include "sim/core/problems.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

namespace archlab::grading {

namespace fs = std::filesystem;

namespace {
bool is_lab_folder_name(const std::string& name)
{
  return name.size() > 3 && std::isdigit(static_cast<unsigned char>(name[0])) && std::isdigit(static_cast<unsigned char>(name[1])) && name[2] == '-';
}

LabInfo describe_lab(const fs::path& dir)
{
  LabInfo lab;
  lab.dir = dir;
  lab.folder = dir.filename().string();
  lab.id = is_lab_folder_name(lab.folder) ? lab.folder.substr(0, 2) : lab.folder;
  std::ifstream in(dir / "README.md");
  std::stringstream text;
  text << in.rdbuf();
  read_lab_readme(text.str(), lab.title, lab.goal);
  if (lab.title.empty())
    lab.title = lab.folder;
  return lab;
}
}  // namespace

std::string choose_labs_dir(const std::string& flag, const char* environment, const std::string& compiled_in)
{
  if (!flag.empty())
    return flag;
  if (environment && *environment)
    return environment;
  return compiled_in;
}

void read_lab_readme(const std::string& text, std::string& title, std::string& goal)
{
  title.clear();
  goal.clear();
  std::istringstream lines(text);
  std::string line;
  bool in_goal = false;
  while (std::getline(lines, line)) {
    if (!line.empty() && line.back() == '\r')
      line.pop_back();
    if (title.empty()) {
      if (line.rfind("# ", 0) == 0)
        title = line.substr(2);
      continue;
    }
    bool is_blank = line.find_first_not_of(" \t") == std::string::npos;
    if (is_blank || line.rfind("#", 0) == 0 || line.rfind("!", 0) == 0) {
      if (in_goal || line.rfind("#", 0) == 0)
        break;
      continue;
    }
    in_goal = true;
    if (!goal.empty())
      goal += ' ';
    goal += line.substr(line.find_first_not_of(" \t"));
  }
}

std::vector<LabInfo> list_labs(const fs::path& labs_dir)
{
  std::error_code error;
  if (!fs::is_directory(labs_dir, error))
    throw InputError(labs_dir.string(), "no labs folder here (give one with --labs DIR or ARCHLAB_LABS)");
  std::vector<LabInfo> labs;
  for (const auto& entry : fs::directory_iterator(labs_dir, error))
    if (entry.is_directory() && is_lab_folder_name(entry.path().filename().string()))
      labs.push_back(describe_lab(entry.path()));
  std::sort(labs.begin(), labs.end(), [](const LabInfo& a, const LabInfo& b) { return a.folder < b.folder; });
  return labs;
}

LabInfo find_lab(const std::string& lab, const fs::path& labs_dir)
{
  std::error_code error;
  bool looks_like_path = lab.find('/') != std::string::npos || lab == "." || lab == "..";
  if (looks_like_path || (fs::is_directory(lab, error) && (fs::exists(fs::path(lab) / "rubric.json", error)))) {
    if (fs::is_directory(lab, error) && (fs::exists(fs::path(lab) / "rubric.json", error) || fs::exists(fs::path(lab) / "README.md", error)))
      return describe_lab(fs::weakly_canonical(lab, error));
    throw InputError(lab, "not a lab folder (it needs a README.md and a rubric.json)");
  }
  auto labs = list_labs(labs_dir);
  for (const auto& known : labs)
    if (known.id == lab || known.folder == lab)
      return known;
  std::string names;
  for (const auto& known : labs)
    names += (names.empty() ? "" : ", ") + known.folder;
  throw InputError(lab, "no such lab in " + labs_dir.string() + (names.empty() ? " (it has none)" : " (known: " + names + ")"));
}

}  // namespace archlab::grading
