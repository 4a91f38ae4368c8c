// What a student hands in, and keeping it data: a model JSON file, alone or in its folder. The
// grader never runs anything from a submission and never lets it read outside its folder: every
// "file" it names (an empirical distribution's samples) must resolve inside that folder.
#pragma once

#include "sim/core/problems.hpp"

#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace archlab::grading {

struct Student {
  std::string name;               // the folder's name (batch), or the file's
  std::filesystem::path folder;   // files it names resolve here
  std::filesystem::path file;     // the model
  std::string missing;            // non-empty: why there is nothing to grade (e.g. no submission.json)
};

// SUBMISSION arguments → students. A file is one submission; a folder holding `submission_file` is
// one; a folder of folders is a class, one student per sub-folder (sorted by name). Throws
// InputError for a path that does not exist or holds neither. `is_batch` is set when the
// arguments name more than one student or a class folder.
std::vector<Student> find_students(const std::vector<std::string>& arguments, const std::string& submission_file, bool& is_batch);

struct FileReference {
  std::string path;   // where in the model, e.g. components.server.service_time_ms.file
  std::string value;  // what it names
};

// Every string member called "file", anywhere in the model. Pure.
std::vector<FileReference> file_references(const nlohmann::json& model);

// Lexically: absolute, or climbing out with "..". Pure.
bool leaves_folder(const std::string& reference);

// The references a submission may not make: absolute, climbing out, or a link leading out of
// `folder`. Problems name where in the model and what.
std::vector<Problem> unsafe_references(const std::vector<FileReference>& references, const std::filesystem::path& folder);

// The text of the model the runs use: the submission with the lab's scenarios in place of its own
// (so a run named in the rubric means the lab's scenario, whatever the student called theirs).
// `model` (an object) is left as it was: its scenarios are moved out and back, never copied.
std::string graded_text(nlohmann::json& model, const nlohmann::json& lab_scenarios);

// Deeper than this, a model is refused before it is parsed (models nest a handful of levels).
constexpr std::size_t max_model_nesting = 64;

// Reads and parses a submission, refusing files above `max_bytes`, links, files with other hard
// links and documents nested deeper than max_model_nesting; a number that overflows a double is a
// problem like any syntax error. Problems name the file by the
// name given (not a path on the grading machine), with line and column for syntax errors.
std::optional<nlohmann::json> read_submission(const std::filesystem::path& file, const std::string& shown_name, std::uintmax_t max_bytes,
                                              std::vector<Problem>& problems);

}  // namespace archlab::grading
