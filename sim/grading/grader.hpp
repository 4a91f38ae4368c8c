// Grading submissions against a rubric: each submission is checked as data first (it parses, names
// no file outside its folder), copied into a private workspace with the lab's scenarios merged
// in, validated, then run by archlab child processes (at most `jobs` at once, over all students),
// and its checks scored from what came back. Results come out in the students' order, whatever
// order the children finished in, so the same submissions always get the same bytes. One student's
// submission — a crash of its simulation, a limit, a document built to break the grader — ends as
// that student's result line; the class goes on, and the temporary copies go on every path out.
#pragma once

#include "sim/grading/checks.hpp"
#include "sim/grading/rubric.hpp"
#include "sim/grading/submission.hpp"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace archlab::grading {

struct SubmissionGrade;

struct GradeOptions {
  int jobs = 1;
  std::string archlab = "/proc/self/exe";      // the simulator the children run: this very binary
  double wall_limit_s = 0;                     // > 0: replaces the rubric's (slow machines, tests)
  std::uintmax_t max_model_bytes = 1u << 20;
  std::uintmax_t max_sample_bytes = 16u << 20;  // all the sample files of one submission together
  // Called once per submission as soon as it is scored (from a worker thread, one call at a time).
  std::function<void(const SubmissionGrade&)> on_graded;
  // After the runs are planned (done 0) and after each one ends, from the worker that ran it.
  std::function<void(std::size_t done, std::size_t total)> on_run_done;
};

struct SubmissionGrade {
  std::string student;
  std::string file;     // the model as given on the command line
  double score = 0;
  double max_score = 0;
  std::vector<CheckResult> checks;  // in rubric order (the hidden ones last)
  std::string note;     // when nothing could be run: why (missing file, syntax error, invalid model)
  double elapsed_s = 0; // from the start of grading until this one was scored (measured, so not in the stable formats)
};

std::vector<SubmissionGrade> grade_submissions(const Rubric& rubric, const std::vector<Student>& students, const GradeOptions& options);

// For GradeOptions::on_graded when grading a class: when stderr is a terminal, one line per
// student as it finishes ("[ 3/40] alice  12/16  note"); otherwise nothing (an empty function).
std::function<void(const SubmissionGrade&)> terminal_progress(const std::vector<Student>& students);

}  // namespace archlab::grading
