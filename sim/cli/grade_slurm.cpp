#include "sim/cli/grade_slurm.hpp"

#include "sim/cli/commands.hpp"
#include "sim/cli/slurm_jobs.hpp"
#include "sim/core/problems.hpp"

#include <fstream>
#include <iostream>
#include <sstream>

namespace archlab::cli {

namespace fs = std::filesystem;

namespace {
fs::path part_folder(const fs::path& out, std::size_t index) { return out / "slurm" / "parts" / std::to_string(index); }

std::string step_command(const ClassOnSlurm& job, const std::string& step)
{
  std::string command = shell_quoted(this_binary()) + " grade " + shell_quoted(job.lab_dir.string()) + " " + shell_quoted(job.klass.string()) +
                        " --format " + shell_quoted(job.format);
  if (!job.hidden_file.empty())
    command += " --hidden " + shell_quoted(job.hidden_file);
  if (job.is_instructor)
    command += " --instructor";
  if (job.wall_limit_s > 0)
    command += " --wall-limit-s " + std::to_string(job.wall_limit_s);
  return command + " " + step;
}

std::string read_text(const fs::path& file)
{
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}
}  // namespace

void write_class_jobs(const ClassOnSlurm& job)
{
  write_slurm_jobs({.folder = job.out / "slurm", .written_by = "archlab grade --slurm", .job_name = "archlab-grade",
                    .tasks = job.students, .task_log = "student-%a.out",
                    .task_command = step_command(job, "--student-index \"$SLURM_ARRAY_TASK_ID\" -o " +
                                                          shell_quoted((job.out / "slurm" / "parts").string()) + "/\"$SLURM_ARRAY_TASK_ID\""),
                    .merge_command = step_command(job, "--merge -o " + shell_quoted(job.out.string()))});
}

void merge_class_parts(const fs::path& out, const std::vector<std::string>& students)
{
  std::string header, rows;
  std::vector<std::pair<fs::path, fs::path>> copies;  // (from, to)
  for (std::size_t i = 0; i < students.size(); ++i) {
    auto part = part_folder(out, i);
    std::error_code error;
    if (!fs::is_regular_file(part / "gradebook.csv", error))
      throw InputError(part.string(), "no gradebook.csv: the task grading student " + std::to_string(i) + " ('" + students[i] +
                                          "') has not finished (its log: " + (out / "slurm" / ("student-" + std::to_string(i) + ".out")).string() + ")");
    auto text = read_text(part / "gradebook.csv");
    auto first_end = text.find('\n');
    if (first_end == std::string::npos || text.find('\n', first_end + 1) != text.size() - 1)
      throw InputError((part / "gradebook.csv").string(), "is not one student's gradebook (a header and one row)");
    if (header.empty())
      header = text.substr(0, first_end + 1);
    else if (text.substr(0, first_end + 1) != header)
      throw InputError((part / "gradebook.csv").string(), "has other columns than part 0's: were the parts graded against the same rubric?");
    rows += text.substr(first_end + 1);
    for (const auto& entry : fs::directory_iterator(part / "feedback", error))
      copies.push_back({entry.path(), out / "feedback" / entry.path().filename()});
  }
  fs::create_directories(out / "feedback");
  for (const auto& [from, to] : copies)
    fs::copy_file(from, to, fs::copy_options::overwrite_existing);
  write_file((out / "gradebook.csv").string(), header + rows);
  std::cout << "merged " << students.size() << " parts: wrote " << (out / "gradebook.csv").string() << " and " << copies.size()
            << " feedback files in " << (out / "feedback").string() << "\n";
}

}  // namespace archlab::cli
