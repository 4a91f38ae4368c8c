// Grades as text for people and files for tools: a readable table, JSON, Gradescope's
// results.json, JUnit XML, PrairieLearn's results.json, and the class gradebook (CSV). Pure: grades in, text out.
//
// Student-facing formats show a hidden check (from --hidden, or "visible": false in the rubric)
// only as "hidden check N: passed/failed": no measured value, no hint, no scenario. The gradebook
// is for the instructor and lists every check's points.
#pragma once

#include "sim/grading/grader.hpp"

#include <optional>
#include <string>
#include <vector>

namespace archlab::grading {

enum class Format { text, json, gradescope, junit, prairielearn };

std::optional<Format> parse_format(const std::string& name);
std::string feedback_file_name(const std::string& student, Format format);  // alice.txt, alice.results.json, ...

// The checks as a student may see them; `reveal_hidden` is for the instructor.
std::vector<CheckResult> shown_checks(const std::vector<CheckResult>& checks, bool reveal_hidden);

std::string format_grade(const SubmissionGrade& grade, const std::string& lab_title, Format format, bool reveal_hidden);

// One row per student: student, score, max_score, one column of points per check (by id), note.
std::string gradebook_csv(const std::vector<SubmissionGrade>& grades);

// The batch's table on stdout: one line per student.
std::string class_table(const std::vector<SubmissionGrade>& grades);

// One student's line of that table (also the terminal's progress line).
std::string progress_line(const SubmissionGrade& grade, std::size_t name_width);

std::string xml_escape(const std::string& text);
// Control bytes other than newline and tab become '?'.
std::string printable(const std::string& text);
// Quoted when needed; a leading =, +, -, @ (a spreadsheet formula) is neutralised with an apostrophe.
std::string csv_field(const std::string& text);

}  // namespace archlab::grading
