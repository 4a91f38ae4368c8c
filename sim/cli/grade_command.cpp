// archlab grade LAB SUBMISSION... : score models against a lab's rubric (labs/NN-name/rubric.json).
// archlab grade --package gradescope|prairielearn LAB -o OUT : the same grader as an autograder.
// One submission prints its report (or writes it with -o FILE); a class (a folder of student
// folders, or several submissions) writes gradebook.csv and one feedback file per student into -o
// DIR. Exit status: 0 when graded, whatever the score; 2 for bad input (unknown lab, missing
// submission, bad rubric); 1 when the grader itself fails.
#include "sim/cli/commands.hpp"
#include "sim/cli/grade_slurm.hpp"
#include "sim/cli/progress.hpp"
#include "sim/core/json_io.hpp"
#include "sim/core/problems.hpp"
#include "sim/grading/grader.hpp"
#include "sim/grading/labs.hpp"
#include "sim/grading/package.hpp"
#include "sim/grading/report.hpp"

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <memory>

#ifndef ARCHLAB_LABS_DIR
#define ARCHLAB_LABS_DIR "labs"
#endif

namespace archlab::cli {

namespace {
namespace fs = std::filesystem;

struct GradeCommandOptions {
  std::string lab;
  std::vector<std::string> submissions;
  int jobs = 1;
  std::string format = "text";
  std::string hidden_file;
  std::string out;
  std::string labs_dir;
  bool is_instructor = false;
  double wall_limit_s = 0;
  std::string package;
  bool writes_slurm = false;  // grade_slurm.hpp
  int student_index = -1;
  bool is_merge = false;
};

void check_out(const std::string& out, bool is_batch)
{
  std::error_code error;
  if (is_batch) {
    if (out.empty())
      throw InputError("--out", "grading a class writes gradebook.csv and feedback files: give -o DIR");
    if (fs::exists(out, error) && !fs::is_directory(out, error))
      throw InputError("--out " + out, "exists and is not a folder");
    return;
  }
  if (out.empty())
    return;
  if (fs::is_directory(out, error))
    throw InputError("--out " + out, "is a folder; one submission's report goes to a file");
  auto parent = fs::path(out).parent_path();
  if (!parent.empty() && !fs::is_directory(parent, error))
    throw InputError("--out " + out, "its folder " + parent.string() + " does not exist");
}

void write_class(const std::vector<grading::SubmissionGrade>& grades, const std::string& title, grading::Format format,
                 const GradeCommandOptions& options)
{
  fs::path out(options.out);
  fs::create_directories(out / "feedback");
  write_file((out / "gradebook.csv").string(), grading::gradebook_csv(grades));
  for (const auto& grade : grades)
    write_file((out / "feedback" / grading::feedback_file_name(grade.student, format)).string(),
               grading::format_grade(grade, title, format, options.is_instructor));
  std::cout << grading::class_table(grades) << "\nwrote " << (out / "gradebook.csv").string() << " and " << grades.size()
            << " feedback files in " << (out / "feedback").string() << "\n";
}

// --package gradescope (a zip) or prairielearn (a question folder), each with a self-contained grader.
void package(const GradeCommandOptions& options, const grading::LabInfo& lab, const grading::Rubric& rubric)
{
  if (options.package != "gradescope" && options.package != "prairielearn")
    throw InputError("--package", "unknown package '" + options.package + "' (known: gradescope, prairielearn)");
  if (!options.submissions.empty())
    throw InputError("--package", "builds an autograder and grades nothing: leave out the submissions");
  if (options.out.empty())
    throw InputError("--out", options.package == "gradescope" ? "give the zip to write, e.g. -o autograder.zip" : "give the question folder to write, e.g. -o questions/lab00");
  std::string hidden;
  if (!options.hidden_file.empty())
    hidden = read_json_file(options.hidden_file).dump(2) + "\n";  // checked by add_hidden already
  if (options.package == "prairielearn") {
    auto entries = grading::prairielearn_question(lab, rubric.submission_file, hidden);
    grading::write_folder(entries, options.out);
    std::cout << "wrote " << options.out << " (" << entries.size() << " files): a PrairieLearn question; tests/run.sh grades "
              << rubric.submission_file << " with the grader in tests/grader\n";
    return;
  }
  check_out(options.out, false);
  auto entries = grading::gradescope_package(lab, rubric.submission_file, hidden);
  write_file(options.out, grading::zip_archive(entries));
  std::cout << "wrote " << options.out << " (" << entries.size() << " files): upload it as a Gradescope autograder; "
            << "setup.sh installs nothing, run_autograder grades " << rubric.submission_file << " with the grader in grader/\n";
}

void grade(const GradeCommandOptions& options)
{
  auto format = grading::parse_format(options.format);
  if (!format)
    throw InputError("--format", "unknown format '" + options.format + "' (known: text, json, gradescope, junit, prairielearn)");
  auto labs_dir = grading::choose_labs_dir(options.labs_dir, std::getenv("ARCHLAB_LABS"), ARCHLAB_LABS_DIR);
  auto lab = grading::find_lab(options.lab, labs_dir);
  auto rubric = grading::load_rubric(lab.dir);
  if (!options.hidden_file.empty())
    grading::add_hidden(rubric, read_json_file(options.hidden_file), options.hidden_file);
  if (!options.package.empty())
    return package(options, lab, rubric);
  if (options.submissions.empty())
    throw InputError("submission", "give at least one: a model file, a submission folder or a folder of student folders");
  bool is_batch = false;
  auto students = grading::find_students(options.submissions, rubric.submission_file, is_batch);
  check_out(options.out, is_batch);
  if ((options.writes_slurm || options.student_index >= 0 || options.is_merge) && !is_batch)
    throw InputError(options.writes_slurm ? "--slurm" : options.is_merge ? "--merge" : "--student-index",
                     "is for a class (a folder of student folders), and " + options.submissions.front() + " is one submission");
  if (options.writes_slurm + options.is_merge + (options.student_index >= 0) > 1)
    throw InputError("--slurm", "--slurm, --student-index and --merge are different steps: give one");
  if (options.writes_slurm) {
    auto out = fs::absolute(options.out);
    write_class_jobs({.lab_dir = fs::absolute(lab.dir), .klass = fs::absolute(options.submissions.front()), .out = out,
                      .students = students.size(), .format = options.format,
                      .hidden_file = options.hidden_file.empty() ? "" : fs::absolute(options.hidden_file).string(),
                      .is_instructor = options.is_instructor, .wall_limit_s = options.wall_limit_s});
    std::cout << "wrote " << (out / "slurm").string() << "/: array.sbatch (" << students.size()
              << " tasks, one per student), merge.sbatch; submit both with " << (out / "slurm" / "submit.sh").string() << "\n";
    return;
  }
  if (options.is_merge) {
    std::vector<std::string> names;
    for (const auto& student : students)
      names.push_back(student.name);
    merge_class_parts(options.out, names);
    return;
  }
  if (options.student_index >= 0) {
    if (static_cast<std::size_t>(options.student_index) >= students.size())
      throw InputError("--student-index", "the class has " + std::to_string(students.size()) + " students (0 to " +
                                              std::to_string(students.size() - 1) + ")");
    students = {students[static_cast<std::size_t>(options.student_index)]};
  }

  grading::GradeOptions grade_options;
  grade_options.jobs = options.jobs;
  grade_options.wall_limit_s = options.wall_limit_s;
  if (is_batch) {
    grade_options.on_graded = grading::terminal_progress(students);
  } else {  // one submission: its runs, on a terminal ("runs: 1/2 · about 9 s left"), gone before the report
    auto line = std::make_shared<std::unique_ptr<ProgressLine>>();
    grade_options.on_run_done = [line](std::size_t done, std::size_t total) {
      if (!*line)
        *line = std::make_unique<ProgressLine>("runs", total);
      if (done > 0)
        (*line)->advance();
    };
  }
  auto grades = grading::grade_submissions(rubric, students, grade_options);
  grade_options.on_run_done = nullptr;  // the progress line is cleared here
  if (is_batch) {
    write_class(grades, rubric.title, *format, options);
    return;
  }
  auto report = grading::format_grade(grades.front(), rubric.title, *format, options.is_instructor);
  if (options.out.empty())
    std::cout << report;
  else
    write_file(options.out, report);
}
}  // namespace

void setup_grade_command(CLI::App& app)
{
  auto options = std::make_shared<GradeCommandOptions>();
  auto* command = app.add_subcommand("grade", "grade submitted models against a lab's rubric");
  command->add_option("lab", options->lab, "the lab: its number (00), folder name, or a path to a lab folder")->required();
  command->add_option("submission", options->submissions,
                      "a model file, a folder holding the rubric's submission file, or a folder of student folders");
  command->add_option("-j,--jobs", options->jobs, "simulations run at once")->check(CLI::Range(1, 256))->capture_default_str();
  command->add_option("--format,-f", options->format, "text, json, gradescope (results.json), junit (XML) or prairielearn (results.json)")->capture_default_str();
  command->add_option("--hidden", options->hidden_file, "the instructor's hidden checks (JSON: scenarios, runs, checks)");
  command->add_option("--out,-o", options->out, "write the report to this file; for a class, the folder for gradebook.csv and feedback/");
  command->add_option("--labs", options->labs_dir, "the labs folder (default: $ARCHLAB_LABS, else the source tree's labs/)");
  command->add_flag("--instructor", options->is_instructor, "show hidden checks in full (measured values, hints)");
  command->add_option("--wall-limit-s", options->wall_limit_s, "replace the rubric's wall-clock limit per simulation")->check(CLI::PositiveNumber);
  command->add_flag("--slurm", options->writes_slurm,
                    "for a class: write a Slurm job array, one task per student, and the merge step into OUT/slurm/ (submit.sh submits both)");
  command->add_option("--student-index", options->student_index, "a Slurm task's step: grade only this student of the class (from 0)")
      ->check(CLI::NonNegativeNumber);
  command->add_flag("--merge", options->is_merge, "the Slurm merge step: join the tasks' parts into OUT/gradebook.csv and OUT/feedback/");
  command->add_option("--package", options->package, "build an autograder instead of grading: gradescope (a zip, -o FILE) or prairielearn (a question folder, -o DIR)");
  command->callback([options] { grade(*options); });
}

}  // namespace archlab::cli
