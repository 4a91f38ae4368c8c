// Reading a student's files as data, and only theirs: a file is read when it is a regular file that
// lives inside the submission folder, reached without following any link (each step opened with
// O_NOFOLLOW), and has no other hard link (a hard link to /etc/passwd is inside the folder too, but
// its lines are not the student's to echo). Anything else is refused unread, with a reason that
// shows none of its content.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace archlab::grading {

struct FileRead {
  std::optional<std::string> data;  // set when read
  std::string problem;              // otherwise why not, e.g. "is a link: ..."
  bool is_missing = false;          // the problem is only that there is no such file
  bool is_too_big = false;          // the problem is only its size
};

// `relative` is a path inside `folder` (already checked not to climb out); `folder` itself is
// opened as given (the instructor named it). Never reads more than `max_bytes`.
FileRead read_student_file(const std::filesystem::path& folder, const std::string& relative, std::uintmax_t max_bytes);

// Whether a path names a symbolic link (not followed). False when it does not exist.
bool is_link(const std::filesystem::path& path);

// How deep brackets nest in JSON text (with // and /* */ comments, as the model reader allows),
// scanned without recursion. When deeper than `max_depth`: the 1-based line and column of the
// first bracket too many.
struct NestingTooDeep {
  std::size_t line = 0;
  std::size_t column = 0;
};
std::optional<NestingTooDeep> nesting_deeper_than(const std::string& text, std::size_t max_depth);

}  // namespace archlab::grading
