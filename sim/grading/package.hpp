// Autograders for a lab, each carrying a self-contained grader: the archlab binary that builds
// them (bin/archlab), the shared libraries it loads (lib/, from ldd, less the C library and its
// loader, which must come from the host: glibc >= the build machine's), a wrapper (archlab) that
// points the loader at lib/, the lab's rubric and scenarios (not its solution) and the hidden
// checks. Nothing is installed or built where it runs.
//
// `archlab grade --package gradescope LAB -o autograder.zip`: setup.sh (checks the grader starts),
// run_autograder (grades /autograder/submission, always writes /autograder/results/results.json),
// grader/ and hidden.json at the zip's root.
// `archlab grade --package prairielearn LAB -o DIR`: a PrairieLearn question folder: info.json
// (external grading), question.html (a file upload), tests/run.sh (grades /grade/student, writes
// /grade/results/results.json) and tests/grader/.
#pragma once

#include "sim/grading/labs.hpp"
#include "sim/grading/zip.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace archlab::grading {

struct Library {
  std::string name;  // as the loader looks it up (the soname), e.g. libsimgrid.so.3.32
  std::string path;  // where the build machine has it
};

// Pure: the libraries in `ldd` output a bundle must carry (the C library family stays out).
std::vector<Library> bundled_libraries(const std::string& ldd_output);

std::string gradescope_setup_script();
// Pure: the scripts for a lab folder name and the rubric's submission file name.
std::string gradescope_run_script(const std::string& lab_folder, const std::string& submission_file);
std::string prairielearn_run_script(const std::string& lab_folder, const std::string& submission_file);

// The grader bundle under `prefix` (e.g. "grader"): this very binary, its libraries, the lab.
// Throws InputError when the libraries cannot be listed.
std::vector<ZipEntry> grader_bundle(const std::string& prefix, const LabInfo& lab);

// `hidden` is the hidden checks' text (empty: none).
std::vector<ZipEntry> gradescope_package(const LabInfo& lab, const std::string& submission_file, const std::string& hidden);
std::vector<ZipEntry> prairielearn_question(const LabInfo& lab, const std::string& submission_file, const std::string& hidden);

// Writes the entries as files under a new folder `out` (made beside it, then renamed into place:
// never half-written). Throws InputError when `out` exists and is not an empty folder.
void write_folder(const std::vector<ZipEntry>& entries, const std::filesystem::path& out);

}  // namespace archlab::grading
