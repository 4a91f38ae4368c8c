#include "sim/grading/package.hpp"

#include "sim/core/problems.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

namespace archlab::grading {

namespace fs = std::filesystem;

namespace {
std::string read_all(const fs::path& file)
{
  std::ifstream in(file, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  if (!in && !in.eof())
    throw InputError(file.string(), "cannot be read");
  return text.str();
}

// Every regular file under `root`, as archive entries under `prefix`, sorted so the zip is the same
// every time. Hidden files and Python caches stay out.
void add_tree(const fs::path& root, const std::string& prefix, std::vector<ZipEntry>& entries)
{
  std::error_code error;
  if (fs::is_regular_file(root, error)) {
    entries.push_back({prefix, read_all(root), 0644});
    return;
  }
  std::vector<ZipEntry> found;
  for (auto it = fs::recursive_directory_iterator(root, error); !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
    auto name = it->path().filename().string();
    if (name.rfind(".", 0) == 0 || name == "__pycache__") {
      if (it->is_directory())
        it.disable_recursion_pending();
      continue;
    }
    if (!it->is_regular_file())
      continue;
    auto perms = it->status().permissions();
    bool is_executable = (perms & fs::perms::owner_exec) != fs::perms::none;
    found.push_back({prefix + "/" + fs::relative(it->path(), root).generic_string(), read_all(it->path()), is_executable ? 0755u : 0644u});
  }
  std::sort(found.begin(), found.end(), [](const ZipEntry& a, const ZipEntry& b) { return a.name < b.name; });
  entries.insert(entries.end(), found.begin(), found.end());
}

void replace_all(std::string& text, const std::string& from, const std::string& to)
{
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
}
}  // namespace

std::string gradescope_setup_script()
{
  return R"sh(#!/usr/bin/env bash
# Gradescope runs this once, as root, while it builds the autograder image: the packages archlab
# needs, then archlab itself from kit/. The base image must offer SimGrid >= 3.32 and
# nlohmann-json >= 3.11 (Debian 12 or Ubuntu 24.04; Ubuntu 22.04's are older).
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends build-essential cmake pkg-config libsimgrid-dev \
    libboost-graph-dev libgraphviz-dev libcli11-dev nlohmann-json3-dev catch2 python3
cmake -S /autograder/source/kit -B /autograder/build -DCMAKE_BUILD_TYPE=Release
cmake --build /autograder/build -j"$(nproc)" --target archlab
)sh";
}

std::string gradescope_run_script(const std::string& lab_folder, const std::string& submission_file)
{
  std::string script = R"sh(#!/usr/bin/env bash
# Gradescope runs this once per submission. It always writes results/results.json: the grade, or a
# zero that says why there is none (no @SUBMISSION@, or the grader failed or timed out).
# AG_ROOT and ARCHLAB let it run outside Gradescope's container (tests/grading/test_grade.py).
set -uo pipefail
ag="${AG_ROOT:-/autograder}"
results="$ag/results"
archlab="${ARCHLAB:-$ag/build/archlab}"
lab="$ag/source/kit/labs/@LAB@"
mkdir -p "$results"

give_zero() {  # the reason, shown to the student
  python3 - "$1" "$results/results.json" <<'PY' || printf '{"score": 0, "output": "The grader failed.", "tests": []}\n' > "$results/results.json"
import json, sys
with open(sys.argv[2], "w") as f:
    json.dump({"score": 0, "output": sys.argv[1], "tests": []}, f)
PY
}

submission="$ag/submission/@SUBMISSION@"
if [[ ! -f "$submission" ]]; then  # uploaded inside a folder
  found=$(find "$ag/submission" -type f -name '@SUBMISSION@' 2>/dev/null | sort | head -n 1)
  [[ -n "$found" ]] && submission="$found"
fi
if [[ ! -f "$submission" ]]; then
  give_zero "No @SUBMISSION@ in your submission: upload your model as a file named @SUBMISSION@."
  exit 0
fi
hidden=()
[[ -f "$ag/source/hidden.json" ]] && hidden=(--hidden "$ag/source/hidden.json")
rm -f "$results/results.json"
timeout 900 "$archlab" grade "$lab" "$submission" --format gradescope "${hidden[@]}" -o "$results/results.json" \
    2> "$results/grader-errors.txt"
status=$?
if [[ $status -ne 0 || ! -s "$results/results.json" ]]; then
  give_zero "The grader could not grade this submission (status $status): $(head -c 2000 "$results/grader-errors.txt")"
fi
exit 0
)sh";
  replace_all(script, "@LAB@", lab_folder);
  replace_all(script, "@SUBMISSION@", submission_file);
  return script;
}

std::vector<ZipEntry> gradescope_package(const fs::path& source_dir, const LabInfo& lab, const std::string& submission_file,
                                         const std::string& hidden)
{
  std::error_code error;
  if (!fs::is_regular_file(source_dir / "CMakeLists.txt", error) || !fs::is_directory(source_dir / "sim", error))
    throw InputError(source_dir.string(), "not archlab's source tree (no CMakeLists.txt and sim/): the package builds archlab from it");
  std::vector<ZipEntry> entries = {{"setup.sh", gradescope_setup_script(), 0755},
                                   {"run_autograder", gradescope_run_script(lab.folder, submission_file), 0755}};
  add_tree(source_dir / "CMakeLists.txt", "kit/CMakeLists.txt", entries);
  for (const char* folder : {"sim", "models", "tests", "scripts"})
    if (fs::is_directory(source_dir / folder, error))
      add_tree(source_dir / folder, std::string("kit/") + folder, entries);
  add_tree(lab.dir, "kit/labs/" + lab.folder, entries);
  if (!hidden.empty())
    entries.push_back({"hidden.json", hidden, 0644});
  return entries;
}

}  // namespace archlab::grading
