// A lab's rubric (labs/NN-name/rubric.json): named runs of the submission and the checks that
// score them. Loading validates everything up front, naming the JSON path of every problem, so a
// broken rubric stops the grader (exit 2) before any student is graded. Schema: labs/README.md.
#pragma once

#include "sim/grading/comparison.hpp"

#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace archlab::grading {

// Every simulation the grader starts runs under these; a run that hits one scores zero.
struct Limits {
  double wall_s = 20;
  double cpu_s = 20;
  double memory_mb = 1024;
};

// One way of running the submission: a lab scenario merged in, --set overrides and a seed.
struct RunSpec {
  std::string name;
  std::string scenario;            // empty: the model as written
  std::uint64_t seed = 1;          // always given, so that a grade never depends on the student's seed
  std::vector<std::string> sets;   // "path=json", as for --set
};

enum class CheckKind { figure, theory, structure, nothing_lost, cost };
enum class StructureMeasure { count, sum, has };

struct TheoryTolerances {  // archlab theory's --max-* flags
  double response_pct = 3;
  double blocking_points = 0.5;
  double little_pct = 1;
};

struct Check {
  std::string id;
  std::string title;
  std::string hint;
  double points = 0;
  bool is_visible = true;
  CheckKind kind = CheckKind::figure;
  std::string run;                 // figure, theory, nothing_lost, cost
  std::string figure;              // JSON pointer into the summary (figure, cost); nothing_lost: what was sent
  std::string received;            // nothing_lost: what came back
  std::string unit;                // shown next to numbers
  Requirement require;             // figure, cost (a ceiling), structure count/sum
  bool has_require = false;
  TheoryTolerances tolerances;     // theory
  std::string select_type;         // structure: which components
  std::string select_id;
  StructureMeasure measure = StructureMeasure::count;
  std::vector<std::string> sum_of;  // structure sum: Σ over the selected of the product of these parameters
  std::string has;                  // structure has: every selected component sets this parameter
};

struct Rubric {
  std::string title;
  std::string submission_file = "submission.json";  // the model's name inside a submission folder
  Limits limits;
  nlohmann::json scenarios = nlohmann::json::object();  // the lab's scenarios (and the hidden ones)
  std::vector<std::string> hidden_scenarios;            // names a student's feedback must not show
  std::vector<RunSpec> runs;
  std::vector<Check> checks;

  const RunSpec* find_run(const std::string& name) const;
  double max_score() const;
};

// `document` is rubric.json, `lab_scenarios` the lab's scenario file's "scenarios" (or an empty
// object), `origin` names the file in problems. Throws InputError listing every problem.
Rubric parse_rubric(const nlohmann::json& document, const nlohmann::json& lab_scenarios, const std::string& origin);

// The instructor's hidden checks: {"scenarios": {...}, "runs": {...}, "checks": [...]}. Their checks
// are never visible, whatever they say. Throws InputError.
void add_hidden(Rubric& rubric, const nlohmann::json& hidden, const std::string& origin);

// Reads rubric.json and the scenario file it names, relative to the lab folder.
Rubric load_rubric(const std::filesystem::path& lab_dir);

}  // namespace archlab::grading
