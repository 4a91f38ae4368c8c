// `archlab grade --package gradescope LAB -o autograder.zip`: a Gradescope autograder for a lab.
// The zip's root holds setup.sh (installs the Debian/Ubuntu packages and builds archlab from the
// kit's source, once, when Gradescope builds the image) and run_autograder (grades
// /autograder/submission and always writes /autograder/results/results.json — a zero with the
// reason when there is no model or the grader fails), then kit/ (the source tree and the lab) and,
// with --hidden, hidden.json.
#pragma once

#include "sim/grading/labs.hpp"
#include "sim/grading/zip.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace archlab::grading {

std::string gradescope_setup_script();
// Pure: the script for a lab folder name and the rubric's submission file name.
std::string gradescope_run_script(const std::string& lab_folder, const std::string& submission_file);

// Reads the kit's sources (CMakeLists.txt, sim/, models/, tests/, scripts/) under `source_dir` and
// the lab's folder. `hidden` is the hidden checks' text (empty: none). Throws InputError when
// `source_dir` is not an archlab source tree.
std::vector<ZipEntry> gradescope_package(const std::filesystem::path& source_dir, const LabInfo& lab, const std::string& submission_file,
                                         const std::string& hidden);

}  // namespace archlab::grading
