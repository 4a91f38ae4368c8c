// Scoring one check from what the grader gathered: the submission as written, and the outputs of
// its runs (`archlab run --json`, `archlab theory --json`) or why they failed. Pure: no process,
// no file, so every rule is unit-tested directly (checks.test.cpp).
#pragma once

#include "sim/grading/rubric.hpp"

#include <functional>
#include <nlohmann/json.hpp>
#include <string>

namespace archlab::grading {

struct RunOutcome {
  bool is_ok = false;
  std::string failure;      // why there are no figures: a limit hit, an invalid model, a crash
  nlohmann::json document;  // the summary (run) or the comparison (theory)
};

struct CheckResult {
  std::string id;
  std::string title;
  std::string hint;
  double points = 0;
  double max_points = 0;
  bool passed = false;
  bool is_visible = true;
  std::string measured;  // what the submission reached, e.g. "483.9 ms"
  std::string required;  // what it had to reach, e.g. "<= 550 ms"
  std::string message;   // what happened, in a sentence or a few lines
};

// A component type's default for a parameter the submission left out (null when there is none).
using DefaultOf = std::function<nlohmann::json(const std::string& type, const std::string& parameter)>;

struct CheckInputs {
  const nlohmann::json* model = nullptr;   // the submission as written (structure checks)
  const RunOutcome* run = nullptr;         // the check's run, when it has one
  const RunOutcome* theory = nullptr;      // archlab theory on the same run, when the check needs it
  DefaultOf default_of;
};

CheckResult evaluate_check(const Check& check, const CheckInputs& inputs);

// Zero points, with the reason: for a submission that could not be graded at all (missing file,
// syntax error, a file reference outside its folder, an invalid model).
CheckResult zero_result(const Check& check, const std::string& message);

// Whether the check needs `archlab theory` on its run (a theory check, or a figure measured against theory).
bool needs_theory(const Check& check);
bool needs_run(const Check& check);

}  // namespace archlab::grading
