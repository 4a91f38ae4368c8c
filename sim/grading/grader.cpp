#include "sim/grading/grader.hpp"

#include "sim/core/registry.hpp"
#include "sim/grading/child_process.hpp"

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <thread>

namespace archlab::grading {

namespace fs = std::filesystem;

namespace {
// A private copy of one submission: the graded model and the sample files it names. The children
// run inside it, so whatever they read is what the grader put there.
class Workspace {
public:
  Workspace()
  {
    auto pattern = (fs::temp_directory_path() / "archlab-grade-XXXXXX").string();
    if (!mkdtemp(pattern.data()))
      throw std::runtime_error("cannot create a temporary folder in " + fs::temp_directory_path().string());
    dir_ = pattern;
  }
  ~Workspace()
  {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }
  Workspace(const Workspace&) = delete;
  Workspace& operator=(const Workspace&) = delete;
  const fs::path& dir() const { return dir_; }

private:
  fs::path dir_;
};

struct Prepared {
  nlohmann::json model;                   // as written (structure checks)
  std::unique_ptr<Workspace> workspace;
  std::string model_name;                 // the file name inside the workspace
  std::string failure;                    // non-empty: nothing runs, every check scores zero with this
};

Prepared prepare(const Student& student, const Rubric& rubric, const GradeOptions& options)
{
  Prepared prepared;
  if (!student.missing.empty()) {
    prepared.failure = student.missing;
    return prepared;
  }
  prepared.model_name = student.file.filename().string();
  std::vector<Problem> problems;
  // The model itself may be a link too: it is read only if it stays inside the folder.
  auto link_problems = unsafe_references({{prepared.model_name, prepared.model_name}}, student.folder);
  if (!link_problems.empty()) {
    prepared.failure = "the submission cannot be graded:\n" + prepared.model_name + " leads outside the submission folder";
    return prepared;
  }
  auto model = read_submission(student.file, prepared.model_name, options.max_model_bytes, problems);
  if (model) {
    auto references = file_references(*model);
    problems = unsafe_references(references, student.folder);
    if (problems.empty()) {
      prepared.model = *model;
      prepared.workspace = std::make_unique<Workspace>();
      std::uintmax_t copied = 0;
      for (const auto& reference : references) {
        std::error_code error;
        auto source = student.folder / reference.value;
        if (!fs::is_regular_file(source, error))
          continue;  // the run reports it, with the name the student wrote
        copied += fs::file_size(source, error);
        if (copied > options.max_sample_bytes) {
          problems.push_back({reference.path, "sample files add up to more than " + std::to_string(options.max_sample_bytes >> 20) + " MiB"});
          break;
        }
        auto target = prepared.workspace->dir() / fs::path(reference.value).lexically_normal();
        fs::create_directories(target.parent_path(), error);
        if (error || !fs::copy_file(source, target, fs::copy_options::overwrite_existing, error) || error)
          problems.push_back({reference.path, "'" + reference.value + "' could not be copied for grading"});
      }
      std::ofstream out(prepared.workspace->dir() / prepared.model_name);
      out << graded_document(*model, rubric.scenarios).dump(2) << "\n";
      if (!out)
        throw std::runtime_error("cannot write into " + prepared.workspace->dir().string());
    }
  }
  if (!problems.empty()) {
    prepared.failure = "the submission cannot be graded:\n" + format_problems(problems);
    prepared.failure.pop_back();
    prepared.workspace.reset();
  }
  return prepared;
}

enum class Tool { validate, run, theory };

struct Task {
  std::size_t student;
  Tool tool;
  std::vector<std::string> argv;
  RunOutcome outcome;
};

std::vector<std::string> run_arguments(const GradeOptions& options, Tool tool, const std::string& model, const RunSpec& run,
                                       const TheoryTolerances& tolerances)
{
  std::vector<std::string> argv = {options.archlab, tool == Tool::run ? "run" : "theory", model, "--json", "--seed", std::to_string(run.seed)};
  if (tool == Tool::run)
    argv.push_back("--quiet");
  if (!run.scenario.empty())
    argv.insert(argv.end(), {"--scenario", run.scenario});
  for (const auto& set : run.sets)
    argv.insert(argv.end(), {"--set", set});
  if (tool == Tool::theory)
    argv.insert(argv.end(), {"--max-response-error-pct", format_number(tolerances.response_pct), "--max-blocking-error-points",
                             format_number(tolerances.blocking_points), "--max-little-error-pct", format_number(tolerances.little_pct)});
  return argv;
}

// Validation problems that name a hidden scenario would tell a student what it holds.
std::string without_hidden(const std::string& failure, const Rubric& rubric)
{
  std::string kept, line;
  std::size_t start = 0;
  while (start < failure.size()) {
    auto end = failure.find('\n', start);
    line = failure.substr(start, end == std::string::npos ? std::string::npos : end - start);
    for (const auto& name : rubric.hidden_scenarios)
      if (line.find("scenario " + name + ":") != std::string::npos)
        line = "error: (the model does not accept one of the hidden scenarios)";
    kept += (kept.empty() ? "" : "\n") + line;
    start = end == std::string::npos ? failure.size() : end + 1;
  }
  return kept;
}

void run_all(std::vector<Task>& tasks, const std::vector<Prepared>& prepared, const ChildLimits& limits, int jobs)
{
  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    for (std::size_t i = next++; i < tasks.size(); i = next++) {
      auto& task = tasks[i];
      auto result = run_child(task.argv, prepared[task.student].workspace->dir().string(), limits);
      task.outcome.failure = describe_failure(result, limits);
      if (task.tool == Tool::theory && result.ending == ChildEnding::exited && result.exit_code == 2)
        task.outcome.failure = "archlab theory cannot solve this model:\n" + task.outcome.failure.substr(task.outcome.failure.find('\n') + 1);
      if (!task.outcome.failure.empty() || task.tool == Tool::validate)
        continue;
      try {
        task.outcome.document = nlohmann::json::parse(result.out);
        task.outcome.is_ok = true;
      } catch (const nlohmann::json::exception&) {
        task.outcome.failure = "the simulation's output could not be read";
      }
    }
  };
  std::vector<std::thread> threads;
  for (int i = 0; i < std::max(1, jobs); ++i)
    threads.emplace_back(worker);
  for (auto& thread : threads)
    thread.join();
}

nlohmann::json registry_default(const std::string& type, const std::string& parameter)
{
  if (const auto* found = find_component_type(type))
    for (const auto& spec : found->params)
      if (spec.name == parameter)
        return spec.default_value;
  return nullptr;
}

std::string theory_key(const std::string& run, const TheoryTolerances& t)
{
  return run + "|" + format_number(t.response_pct) + "|" + format_number(t.blocking_points) + "|" + format_number(t.little_pct);
}
}  // namespace

std::vector<SubmissionGrade> grade_submissions(const Rubric& rubric, const std::vector<Student>& students, const GradeOptions& options)
{
  ChildLimits limits{options.wall_limit_s > 0 ? options.wall_limit_s : rubric.limits.wall_s, rubric.limits.cpu_s, rubric.limits.memory_mb};
  std::vector<Prepared> prepared;
  for (const auto& student : students)
    prepared.push_back(prepare(student, rubric, options));

  // First the gate: each model, and each scenario applied to it, must validate.
  std::vector<Task> gates;
  for (std::size_t s = 0; s < students.size(); ++s)
    if (prepared[s].failure.empty())
      gates.push_back({s, Tool::validate, {options.archlab, "validate", prepared[s].model_name}, {}});
  run_all(gates, prepared, limits, options.jobs);
  for (const auto& gate : gates)
    if (!gate.outcome.failure.empty())
      prepared[gate.student].failure = without_hidden(gate.outcome.failure, rubric);

  // Then every distinct run each check needs, once per student.
  std::vector<Task> tasks;
  std::vector<std::map<std::string, std::size_t>> run_task(students.size()), theory_task(students.size()),
      figure_theory(students.size());
  for (std::size_t s = 0; s < students.size(); ++s) {
    if (!prepared[s].failure.empty())
      continue;
    auto plan = [&](std::map<std::string, std::size_t>& planned, const std::string& key, Tool tool, const RunSpec& run, const TheoryTolerances& t) {
      if (planned.count(key))
        return;
      planned[key] = tasks.size();
      tasks.push_back({s, tool, run_arguments(options, tool, prepared[s].model_name, run, t), {}});
    };
    for (const auto& check : rubric.checks) {
      if (needs_run(check))
        plan(run_task[s], check.run, Tool::run, *rubric.find_run(check.run), {});
      if (check.kind == CheckKind::theory)
        plan(theory_task[s], theory_key(check.run, check.tolerances), Tool::theory, *rubric.find_run(check.run), check.tolerances);
    }
    // A figure measured against theory reuses a theory run of its run, whatever its tolerances
    // (they change the verdict, not the figures).
    for (const auto& check : rubric.checks) {
      if (check.kind != CheckKind::figure || !needs_theory(check) || figure_theory[s].count(check.run))
        continue;
      std::optional<std::size_t> found;
      for (const auto& [key, index] : theory_task[s])
        if (!found && key.rfind(check.run + "|", 0) == 0)
          found = index;
      if (!found) {
        plan(theory_task[s], theory_key(check.run, {}), Tool::theory, *rubric.find_run(check.run), {});
        found = theory_task[s].at(theory_key(check.run, {}));
      }
      figure_theory[s][check.run] = *found;
    }
  }
  run_all(tasks, prepared, limits, options.jobs);

  std::vector<SubmissionGrade> grades;
  for (std::size_t s = 0; s < students.size(); ++s) {
    SubmissionGrade grade{students[s].name, students[s].file.string(), 0, rubric.max_score(), {}, prepared[s].failure};
    for (const auto& check : rubric.checks) {
      if (!prepared[s].failure.empty()) {
        grade.checks.push_back(zero_result(check, prepared[s].failure));
        continue;
      }
      CheckInputs inputs{&prepared[s].model, nullptr, nullptr, registry_default};
      if (needs_run(check))
        inputs.run = &tasks[run_task[s].at(check.run)].outcome;
      if (check.kind == CheckKind::theory)
        inputs.theory = &tasks[theory_task[s].at(theory_key(check.run, check.tolerances))].outcome;
      else if (needs_theory(check))
        inputs.theory = &tasks[figure_theory[s].at(check.run)].outcome;
      grade.checks.push_back(evaluate_check(check, inputs));
    }
    for (const auto& result : grade.checks)
      grade.score += result.points;
    grades.push_back(std::move(grade));
  }
  return grades;
}

}  // namespace archlab::grading
