#include "sim/cli/slurm_jobs.hpp"

#include "sim/cli/commands.hpp"

namespace archlab::cli {

namespace fs = std::filesystem;

std::string shell_quoted(const std::string& text)
{
  std::string out = "'";
  for (char c : text)
    out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string this_binary()
{
  std::error_code error;
  return fs::read_symlink("/proc/self/exe", error).string();
}

void write_slurm_jobs(const SlurmJobs& jobs)
{
  fs::create_directories(jobs.folder);
  std::string header = "#!/bin/sh\n# Written by " + jobs.written_by + "; submit with submit.sh (from any folder).\n";
  std::string array = header + "#SBATCH --job-name=" + jobs.job_name + "\n#SBATCH --array=0-" + std::to_string(jobs.tasks - 1) +
                      "\n#SBATCH --ntasks=1\n#SBATCH --cpus-per-task=1\n#SBATCH --output=" + (jobs.folder / jobs.task_log).string() + "\n" +
                      "exec " + jobs.task_command + "\n";
  std::string merge = header + "#SBATCH --job-name=" + jobs.job_name + "-merge\n#SBATCH --ntasks=1\n#SBATCH --output=" +
                      (jobs.folder / "merge.out").string() + "\n" + "exec " + jobs.merge_command + "\n";
  std::string submit = "#!/bin/sh\n# The job array, then the merge once every task has ended well (afterok). Prints both job ids.\nset -e\n"
                       "array=$(sbatch --parsable " + shell_quoted((jobs.folder / "array.sbatch").string()) + ")\n"
                       "merge=$(sbatch --parsable --dependency=afterok:${array%%;*} " + shell_quoted((jobs.folder / "merge.sbatch").string()) + ")\n"
                       "echo \"$array $merge\"\n";
  write_file((jobs.folder / "array.sbatch").string(), array);
  write_file((jobs.folder / "merge.sbatch").string(), merge);
  write_file((jobs.folder / "submit.sh").string(), submit);
  fs::permissions(jobs.folder / "submit.sh", fs::perms::owner_exec | fs::perms::group_exec, fs::perm_options::add);
}

}  // namespace archlab::cli
