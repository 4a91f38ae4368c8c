// Finding labs: one folder per lab, labs/NN-name/, each with a README.md whose first heading is
// the lab's title and whose first paragraph is its one-line goal.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace archlab::grading {

struct LabInfo {
  std::string id;       // "00"
  std::string folder;   // "00-queueing"
  std::string title;
  std::string goal;
  std::filesystem::path dir;
};

// --labs wins, then the environment (ARCHLAB_LABS), then the folder compiled in. Pure.
std::string choose_labs_dir(const std::string& flag, const char* environment, const std::string& compiled_in);

// Title: the first "# " heading; goal: the first paragraph after it, joined on one line. Pure.
void read_lab_readme(const std::string& text, std::string& title, std::string& goal);

// Folders named NN-name (two digits, a dash), sorted. Throws InputError when `labs_dir` is missing.
std::vector<LabInfo> list_labs(const std::filesystem::path& labs_dir);

// "00", "00-queueing" or a path to a lab folder (one holding rubric.json or README.md). Throws
// InputError naming the labs it knows.
LabInfo find_lab(const std::string& lab, const std::filesystem::path& labs_dir);

}  // namespace archlab::grading
