#include "sim/grading/package.hpp"

#include "sim/core/problems.hpp"
#include "sim/grading/child_process.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
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
// every time. Hidden files, Python caches and the top-level folders in `left_out` stay out.
void add_tree(const fs::path& root, const std::string& prefix, std::vector<ZipEntry>& entries, const std::vector<std::string>& left_out = {})
{
  std::error_code error;
  if (fs::is_regular_file(root, error)) {
    entries.push_back({prefix, read_all(root), 0644});
    return;
  }
  std::vector<ZipEntry> found;
  for (auto it = fs::recursive_directory_iterator(root, error); !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
    auto name = it->path().filename().string();
    bool is_left_out = it.depth() == 0 && std::find(left_out.begin(), left_out.end(), name) != left_out.end();
    if (name.rfind(".", 0) == 0 || name == "__pycache__" || is_left_out) {
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

std::string xml_text(const std::string& text)
{
  std::string out;
  for (char c : text)
    out += c == '<' ? "&lt;" : c == '>' ? "&gt;" : c == '&' ? "&amp;" : c == '"' ? "&quot;" : std::string(1, c);
  return out;
}

void replace_all(std::string& text, const std::string& from, const std::string& to)
{
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
}

// The C library, its loader and their kin must match the host's kernel interface: never bundled.
bool is_host_library(const std::string& name)
{
  static const char* host[] = {"linux-vdso", "linux-gate", "ld-linux", "ld64.so", "libc.so", "libm.so", "libmvec.so", "libpthread.so",
                               "libdl.so", "librt.so", "libutil.so", "libresolv.so", "libanl.so", "libnsl.so", "libnss_",
                               "libthread_db.so", "libBrokenLocale.so", "libc_malloc_debug.so"};
  for (const char* prefix : host)
    if (name.rfind(prefix, 0) == 0)
      return true;
  return false;
}

std::string self_path()
{
  std::error_code error;
  auto path = fs::read_symlink("/proc/self/exe", error);
  if (error)
    throw InputError("--package", "cannot find the archlab binary to package (/proc/self/exe)");
  return path.string();
}

// A JSON string's contents from a shell variable: the scripts report failures without python.
const char* shell_json_text = R"sh(json_text() {  # stdin -> the inside of a JSON string: ASCII, no control bytes
  LC_ALL=C tr -d '\000-\010\013-\037\177-\377' | LC_ALL=C tr '\n\t' '  ' | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g'
}
)sh";

// The uuid PrairieLearn wants in info.json, the same for the same lab every time (FNV-1a, 128 bits).
std::string stable_uuid(const std::string& seed)
{
  std::uint64_t halves[2] = {0xcbf29ce484222325ull, 0x84222325cbf29ce4ull};
  for (int h = 0; h < 2; ++h)
    for (unsigned char c : seed + (h ? "#2" : "#1"))
      halves[h] = (halves[h] ^ c) * 0x100000001b3ull;
  char text[40];
  std::snprintf(text, sizeof text, "%08x-%04x-4%03x-%04x-%012llx", static_cast<unsigned>(halves[0] >> 32), static_cast<unsigned>(halves[0] >> 16) & 0xffff,
                static_cast<unsigned>(halves[0]) & 0xfff, (static_cast<unsigned>(halves[1] >> 48) & 0x3fff) | 0x8000,
                static_cast<unsigned long long>(halves[1] & 0xffffffffffffull));
  return text;
}
}  // namespace

std::vector<Library> bundled_libraries(const std::string& ldd_output)
{
  std::vector<Library> libraries;
  std::istringstream lines(ldd_output);
  std::string line;
  while (std::getline(lines, line)) {
    auto arrow = line.find(" => ");
    if (arrow == std::string::npos)
      continue;  // the vDSO and the loader, named by path
    auto name = line.substr(line.find_first_not_of(" \t"), arrow - line.find_first_not_of(" \t"));
    auto path = line.substr(arrow + 4);
    path = path.substr(0, path.find(" ("));
    if (is_host_library(name))
      continue;
    if (path.empty() || path[0] != '/')
      throw InputError("--package", "archlab needs " + name + ", which the loader does not find here");
    libraries.push_back({name, path});
  }
  std::sort(libraries.begin(), libraries.end(), [](const Library& a, const Library& b) { return a.name < b.name; });
  return libraries;
}

std::vector<ZipEntry> grader_bundle(const std::string& prefix, const LabInfo& lab)
{
  auto exe = self_path();
  ChildResult listed;
  for (const char* ldd : {"/usr/bin/ldd", "/bin/ldd"}) {
    std::error_code error;
    if (fs::exists(ldd, error)) {
      listed = run_child({ldd, exe}, "/", {60, 60, 2048});
      break;
    }
  }
  if (listed.ending != ChildEnding::exited || listed.exit_code != 0)
    throw InputError("--package", "cannot list the libraries archlab needs (ldd " + exe + " failed)");
  std::vector<ZipEntry> entries = {{prefix + "/archlab", R"sh(#!/bin/sh
# archlab with the libraries packaged beside it (lib/); only the C library comes from the host.
here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd) || exit 1
LD_LIBRARY_PATH="$here/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export LD_LIBRARY_PATH
exec "$here/bin/archlab" "$@"
)sh", 0755},
                                   {prefix + "/bin/archlab", read_all(exe), 0755}};
  for (const auto& library : bundled_libraries(listed.out))
    entries.push_back({prefix + "/lib/" + library.name, read_all(library.path), 0644});
  add_tree(lab.dir, prefix + "/labs/" + lab.folder, entries, {"solution", "known_bad"});
  return entries;
}

std::string gradescope_setup_script()
{
  return R"sh(#!/usr/bin/env bash
# Gradescope runs this once, as root, while it builds the autograder image. The grader is
# self-contained (grader/: archlab, its libraries, the lab): nothing is installed or built; this
# only checks that it starts here. Only the C library comes from the image: it must be at least
# the build machine's (Debian 12: glibc 2.36, so Gradescope's Ubuntu 24.04 base image, not 22.04).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
chmod +x "$here/run_autograder" "$here/grader/archlab" "$here/grader/bin/archlab"
if ! "$here/grader/archlab" --version; then
  echo "setup.sh: the packaged archlab does not start on this image (the loader's reason is above);" \
       "choose a base image with glibc 2.36 or newer, e.g. Ubuntu 24.04" >&2
  exit 1
fi
)sh";
}

// A run script's placeholders: the shell's JSON quoting, the lab's folder, the submission's file name.
static std::string filled_in(std::string script, const std::string& lab_folder, const std::string& submission_file)
{
  replace_all(script, "@JSON_TEXT@", shell_json_text);
  replace_all(script, "@LAB@", lab_folder);
  replace_all(script, "@SUBMISSION@", submission_file);
  return script;
}

std::string gradescope_run_script(const std::string& lab_folder, const std::string& submission_file)
{
  std::string script = R"sh(#!/usr/bin/env bash
# Gradescope runs this once per submission. It always writes results/results.json: the grade, or a
# zero that says why there is none (no @SUBMISSION@, or the grader failed or timed out).
# AG_ROOT and ARCHLAB let it run outside Gradescope's container (tests/grading/test_package.py).
set -uo pipefail
ag="${AG_ROOT:-/autograder}"
results="$ag/results"
archlab="${ARCHLAB:-$ag/source/grader/archlab}"
lab="$ag/source/grader/labs/@LAB@"
mkdir -p "$results"
@JSON_TEXT@
give_zero() {  # the reason, shown to the student
  printf '{"score": 0, "output": "%s", "tests": []}\n' "$(printf '%s' "$1" | json_text)" > "$results/results.json"
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
  return filled_in(std::move(script), lab_folder, submission_file);
}

std::string prairielearn_run_script(const std::string& lab_folder, const std::string& submission_file)
{
  std::string script = R"sh(#!/bin/bash
# PrairieLearn's entrypoint (info.json, externalGradingOptions): the student's files are in
# /grade/student, this folder is /grade/tests. It always writes /grade/results/results.json: the
# grade, or "not gradable" with the reason. GRADE_ROOT and ARCHLAB let it run outside the
# container (tests/grading/test_package.py).
set -uo pipefail
root="${GRADE_ROOT:-/grade}"
here="$root/tests"
results="$root/results"
archlab="${ARCHLAB:-$here/grader/archlab}"
mkdir -p "$results"
chmod +x "$here/grader/archlab" "$here/grader/bin/archlab" 2>/dev/null
@JSON_TEXT@
not_gradable() {  # the reason, shown to the student; the attempt does not count
  local reason
  reason="$(printf '%s' "$1" | json_text)"
  printf '{"gradable": false, "score": 0, "message": "%s", "format_errors": ["%s"]}\n' "$reason" "$reason" > "$results/results.json"
}

submission="$root/student/@SUBMISSION@"
if [[ ! -f "$submission" ]]; then
  not_gradable "No @SUBMISSION@ in your submission: upload your model as a file named @SUBMISSION@."
  exit 0
fi
hidden=()
[[ -f "$here/hidden.json" ]] && hidden=(--hidden "$here/hidden.json")
rm -f "$results/results.json"
timeout 280 "$archlab" grade "$here/grader/labs/@LAB@" "$submission" --format prairielearn "${hidden[@]}" \
    -o "$results/results.json" 2> "$results/grader-errors.txt"
status=$?
if [[ $status -ne 0 || ! -s "$results/results.json" ]]; then
  not_gradable "The grader could not grade this submission (status $status): $(head -c 2000 "$results/grader-errors.txt")"
fi
exit 0
)sh";
  return filled_in(std::move(script), lab_folder, submission_file);
}

std::vector<ZipEntry> gradescope_package(const LabInfo& lab, const std::string& submission_file, const std::string& hidden)
{
  std::vector<ZipEntry> entries = {{"setup.sh", gradescope_setup_script(), 0755},
                                   {"run_autograder", gradescope_run_script(lab.folder, submission_file), 0755}};
  auto bundle = grader_bundle("grader", lab);
  entries.insert(entries.end(), bundle.begin(), bundle.end());
  if (!hidden.empty())
    entries.push_back({"hidden.json", hidden, 0644});
  return entries;
}

std::vector<ZipEntry> prairielearn_question(const LabInfo& lab, const std::string& submission_file, const std::string& hidden)
{
  nlohmann::ordered_json info = {
      {"uuid", stable_uuid("archlab:" + lab.folder)},
      {"title", lab.title},
      {"topic", "archlab"},
      {"tags", {"archlab", "lab" + lab.id}},
      {"type", "v3"},
      {"singleVariant", true},
      {"gradingMethod", "External"},
      {"externalGradingOptions", {{"enabled", true}, {"image", "ubuntu:24.04"}, {"entrypoint", "/grade/tests/run.sh"}, {"timeout", 300}}}};
  auto html = "<pl-question-panel>\n  <p>" + xml_text(lab.title) + "</p>\n  <p>" + xml_text(lab.goal) +
              "</p>\n  <p>Upload your model as <code>" + xml_text(submission_file) + "</code>.</p>\n</pl-question-panel>\n\n<pl-file-upload file-names=\"" +
              xml_text(submission_file) + "\"></pl-file-upload>\n\n<pl-submission-panel>\n  <pl-external-grader-results></pl-external-grader-results>\n"
              "  <pl-file-preview></pl-file-preview>\n</pl-submission-panel>\n";
  std::vector<ZipEntry> entries = {{"info.json", info.dump(2) + "\n", 0644},
                                   {"question.html", html, 0644},
                                   {"tests/run.sh", prairielearn_run_script(lab.folder, submission_file), 0755}};
  auto bundle = grader_bundle("tests/grader", lab);
  entries.insert(entries.end(), bundle.begin(), bundle.end());
  if (!hidden.empty())
    entries.push_back({"tests/hidden.json", hidden, 0644});
  return entries;
}

void write_folder(const std::vector<ZipEntry>& entries, const fs::path& out)
{
  std::error_code error;
  if (fs::exists(fs::symlink_status(out, error)) && !(fs::is_directory(fs::symlink_status(out, error)) && fs::is_empty(out, error)))
    throw InputError("--out " + out.string(), "exists: the question folder is written into a new (or empty) folder");
  auto parent = out.has_parent_path() ? out.parent_path() : fs::path(".");
  auto pattern = (parent / (".archlab-package-XXXXXX")).string();
  if (!mkdtemp(pattern.data()))
    throw InputError("--out " + out.string(), "cannot create a folder beside it");
  fs::path staging = pattern;
  try {
    for (const auto& entry : entries) {
      auto file = staging / entry.name;
      fs::create_directories(file.parent_path());
      std::ofstream stream(file, std::ios::binary | std::ios::trunc);
      stream << entry.data;
      if (!stream)
        throw InputError(file.string(), "cannot be written");
      stream.close();
      fs::permissions(file, static_cast<fs::perms>(entry.mode));
    }
    fs::permissions(staging, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec | fs::perms::others_read | fs::perms::others_exec);
    fs::remove(out, error);  // an empty folder, checked above
    fs::rename(staging, out);
  } catch (...) {
    fs::remove_all(staging, error);
    throw;
  }
}

}  // namespace archlab::grading
