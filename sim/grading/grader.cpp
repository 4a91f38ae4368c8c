#include "sim/grading/grader.hpp"

#include "sim/core/registry.hpp"
#include "sim/grading/child_process.hpp"
#include "sim/grading/report.hpp"
#include "sim/grading/safe_files.hpp"
#include "sim/grading/scratch.hpp"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <unistd.h>

namespace archlab::grading {

namespace fs = std::filesystem;

namespace {
struct Prepared {
  nlohmann::json model;                   // as written (structure checks)
  std::filesystem::path workspace;        // the private copy the children run in
  std::string model_name;                 // the file name inside the workspace
  std::string failure;                    // non-empty: nothing runs, every check scores zero with this
};

// The sample files the model names, read as student files and written into the workspace.
void copy_samples(const Student& student, const std::vector<FileReference>& references, const GradeOptions& options,
                  const std::filesystem::path& workspace, std::vector<Problem>& problems)
{
  std::uintmax_t copied = 0;
  for (const auto& reference : references) {
    auto read = read_student_file(student.folder, reference.value, options.max_sample_bytes - std::min(copied, options.max_sample_bytes));
    if (read.is_missing)
      continue;  // the run reports it, with the name the student wrote
    if (read.is_too_big && copied > 0) {
      problems.push_back({reference.path, "sample files add up to more than " + std::to_string(options.max_sample_bytes >> 20) + " MiB"});
      break;
    }
    if (!read.data) {
      problems.push_back({reference.path, "'" + reference.value + "' " + read.problem});
      continue;
    }
    copied += read.data->size();
    auto target = workspace / fs::path(reference.value).lexically_normal();
    std::error_code error;
    fs::create_directories(target.parent_path(), error);
    std::ofstream out(target, std::ios::binary | std::ios::trunc);
    out << *read.data;
    if (error || !out)
      problems.push_back({reference.path, "'" + reference.value + "' could not be copied for grading"});
  }
}

Prepared prepare(const Student& student, const Rubric& rubric, const GradeOptions& options, ScratchSpace& scratch)
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
      prepared.workspace = scratch.new_folder();
      copy_samples(student, references, options, prepared.workspace, problems);
      prepared.model = std::move(*model);
      std::ofstream out(prepared.workspace / prepared.model_name);
      out << graded_text(prepared.model, rubric.scenarios);
      if (!out)
        throw std::runtime_error("cannot write into the grader's temporary folder");
    }
  }
  if (!problems.empty()) {
    prepared.failure = "the submission cannot be graded:\n" + format_problems(problems);
    prepared.failure.pop_back();
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

// `on_done(i)` after task i, from the worker that ran it (several at once).
void run_all(std::vector<Task>& tasks, const std::vector<Prepared>& prepared, const ChildLimits& limits, int jobs,
             const std::function<void(std::size_t)>& on_done)
{
  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    for (std::size_t i = next++; i < tasks.size(); i = next++) {
      auto& task = tasks[i];
      // Whatever goes wrong is this submission's result, never the end of the class's grading.
      try {
        auto result = run_child(task.argv, prepared[task.student].workspace.string(), limits);
        task.outcome.failure = describe_failure(result, limits);
        if (task.tool == Tool::theory && result.ending == ChildEnding::exited && result.exit_code == 2)
          task.outcome.failure = "archlab theory cannot solve this model:\n" + task.outcome.failure.substr(task.outcome.failure.find('\n') + 1);
        if (task.outcome.failure.empty() && task.tool != Tool::validate) {
          task.outcome.document = nlohmann::json::parse(result.out);
          task.outcome.is_ok = true;
        }
      } catch (const std::exception&) {
        task.outcome.is_ok = false;
        task.outcome.failure = "the simulation's output could not be read";
      }
      if (on_done)
        on_done(i);
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

// The runs one student's checks need, each once.
struct Plan {
  std::map<std::string, std::size_t> run_task, theory_task, figure_theory;
};

void plan_runs(const Rubric& rubric, const GradeOptions& options, std::size_t s, const std::string& model_name, Plan& plan,
               std::vector<Task>& tasks)
{
  auto add = [&](std::map<std::string, std::size_t>& planned, const std::string& key, Tool tool, const RunSpec& run, const TheoryTolerances& t) {
    if (planned.count(key))
      return;
    planned[key] = tasks.size();
    tasks.push_back({s, tool, run_arguments(options, tool, model_name, run, t), {}});
  };
  for (const auto& check : rubric.checks) {
    if (needs_run(check))
      add(plan.run_task, check.run, Tool::run, *rubric.find_run(check.run), {});
    if (check.kind == CheckKind::theory)
      add(plan.theory_task, theory_key(check.run, check.tolerances), Tool::theory, *rubric.find_run(check.run), check.tolerances);
  }
  // A figure measured against theory reuses a theory run of its run, whatever its tolerances
  // (they change the verdict, not the figures).
  for (const auto& check : rubric.checks) {
    if (check.kind != CheckKind::figure || !needs_theory(check) || plan.figure_theory.count(check.run))
      continue;
    std::optional<std::size_t> found;
    for (const auto& [key, index] : plan.theory_task)
      if (!found && key.rfind(check.run + "|", 0) == 0)
        found = index;
    if (!found) {
      add(plan.theory_task, theory_key(check.run, {}), Tool::theory, *rubric.find_run(check.run), {});
      found = plan.theory_task.at(theory_key(check.run, {}));
    }
    plan.figure_theory[check.run] = *found;
  }
}
}  // namespace

namespace {
SubmissionGrade score(const Rubric& rubric, const Student& student, const Prepared& prepared, const std::vector<Task>& tasks,
                      const Plan& plan)
{
  SubmissionGrade grade{student.name, student.file.string(), 0, rubric.max_score(), {}, prepared.failure};
  for (const auto& check : rubric.checks) {
    if (!prepared.failure.empty()) {
      grade.checks.push_back(zero_result(check, prepared.failure));
      continue;
    }
    try {
      CheckInputs inputs{&prepared.model, nullptr, nullptr, registry_default};
      if (needs_run(check))
        inputs.run = &tasks[plan.run_task.at(check.run)].outcome;
      if (check.kind == CheckKind::theory)
        inputs.theory = &tasks[plan.theory_task.at(theory_key(check.run, check.tolerances))].outcome;
      else if (needs_theory(check))
        inputs.theory = &tasks[plan.figure_theory.at(check.run)].outcome;
      grade.checks.push_back(evaluate_check(check, inputs));
    } catch (const std::exception&) {
      grade.checks.push_back(zero_result(check, "the grader could not score this check on this submission"));
    }
  }
  for (const auto& result : grade.checks)
    grade.score += result.points;
  return grade;
}
}  // namespace

std::vector<SubmissionGrade> grade_submissions(const Rubric& rubric, const std::vector<Student>& students, const GradeOptions& options)
{
  auto started = std::chrono::steady_clock::now();
  ChildLimits limits{options.wall_limit_s > 0 ? options.wall_limit_s : rubric.limits.wall_s, rubric.limits.cpu_s, rubric.limits.memory_mb};
  ScratchSpace scratch;
  std::vector<Prepared> prepared;
  for (const auto& student : students) {
    try {
      prepared.push_back(prepare(student, rubric, options, scratch));
    } catch (const std::exception& error) {
      Prepared failed;
      failed.failure = std::string("the grader could not prepare this submission: ") + error.what();
      prepared.push_back(std::move(failed));
    }
  }

  // First the gate: each model, and each scenario applied to it, must validate.
  std::vector<Task> gates;
  for (std::size_t s = 0; s < students.size(); ++s)
    if (prepared[s].failure.empty())
      gates.push_back({s, Tool::validate, {options.archlab, "validate", prepared[s].model_name}, {}});
  run_all(gates, prepared, limits, options.jobs, {});
  for (const auto& gate : gates)
    if (!gate.outcome.failure.empty())
      prepared[gate.student].failure = without_hidden(gate.outcome.failure, rubric);

  // Then every distinct run each check needs, once per student.
  std::vector<Task> tasks;
  std::vector<Plan> plans(students.size());
  for (std::size_t s = 0; s < students.size(); ++s)
    if (prepared[s].failure.empty())
      plan_runs(rubric, options, s, prepared[s].model_name, plans[s], tasks);

  // Each student is scored as soon as its last run is back (and reported, for a terminal).
  std::vector<SubmissionGrade> grades(students.size());
  std::vector<std::size_t> left(students.size(), 0);
  for (const auto& task : tasks)
    ++left[task.student];
  std::mutex mutex;
  auto finish = [&](std::size_t s) {
    grades[s] = score(rubric, students[s], prepared[s], tasks, plans[s]);
    grades[s].elapsed_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    if (options.on_graded)
      options.on_graded(grades[s]);
  };
  for (std::size_t s = 0; s < students.size(); ++s)
    if (left[s] == 0)
      finish(s);
  std::size_t runs_done = 0;
  if (options.on_run_done)
    options.on_run_done(0, tasks.size());
  run_all(tasks, prepared, limits, options.jobs, [&](std::size_t i) {
    std::lock_guard lock(mutex);
    if (options.on_run_done)
      options.on_run_done(++runs_done, tasks.size());
    if (--left[tasks[i].student] == 0)
      finish(tasks[i].student);
  });
  return grades;
}

std::function<void(const SubmissionGrade&)> terminal_progress(const std::vector<Student>& students)
{
  if (!isatty(STDERR_FILENO))
    return {};  // a log or a pipe gets the table at the end, not a line per student as well
  std::size_t width = 7;
  for (const auto& student : students)
    width = std::max(width, student.name.size());
  auto done = std::make_shared<std::size_t>(0);
  auto total = std::to_string(students.size());
  return [done, total, width](const SubmissionGrade& grade) {
    auto count = std::to_string(++*done);
    auto line = "[" + std::string(total.size() - count.size(), ' ') + count + "/" + total + "] " + progress_line(grade, width);
    std::fputs(line.c_str(), stderr);
    std::fflush(stderr);
  };
}

}  // namespace archlab::grading
