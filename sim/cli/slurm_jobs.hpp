// The files a Slurm job array needs (sweep --slurm, grade --slurm): array.sbatch runs one task per
// index ($SLURM_ARRAY_TASK_ID), merge.sbatch the step that joins their outputs, and submit.sh submits
// both, the merge depending on every task ending well (afterok).
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>

namespace archlab::cli {

struct SlurmJobs {
  std::filesystem::path folder;  // where the three files and the tasks' logs go
  std::string written_by;        // "archlab sweep --slurm"
  std::string job_name;          // "archlab-sweep": the array's; the merge's gets "-merge"
  std::size_t tasks = 0;
  std::string task_log;          // a task's log in `folder`, Slurm's %a standing for its index: "point-%a.out"
  std::string task_command;      // a shell command line, naming the task's index as "$SLURM_ARRAY_TASK_ID"
  std::string merge_command;
};

void write_slurm_jobs(const SlurmJobs& jobs);
std::string shell_quoted(const std::string& text);  // one word for sh, whatever it holds
std::string this_binary();                          // the running archlab, as an absolute path

}  // namespace archlab::cli
