// Running archlab on a submission as a child process under limits: a wall-clock timeout (the whole
// process group is killed), RLIMIT_AS for memory and RLIMIT_CPU for processor time. Whatever the
// child does — loop forever, eat memory, crash — the grader gets an answer, never a hang.
#pragma once

#include <string>
#include <vector>

namespace archlab::grading {

struct ChildLimits {
  double wall_s = 20;
  double cpu_s = 20;
  double memory_mb = 1024;
  std::size_t max_output_bytes = 64u << 20;  // a summary is a few KiB; more means something is wrong
};

enum class ChildEnding { exited, signalled, wall_limit, output_limit, not_started };

struct ChildResult {
  ChildEnding ending = ChildEnding::not_started;
  int exit_code = -1;  // exited
  int signal = 0;      // signalled
  std::string out;
  std::string err;
};

// Runs `argv` (argv[0] is the program's path) in `cwd`, stdin from /dev/null. Safe to call from
// several threads at once: descriptors are close-on-exec, and the child does only async-signal-safe
// work between fork and exec.
ChildResult run_child(const std::vector<std::string>& argv, const std::string& cwd, const ChildLimits& limits);

// SIGKILL to the process group of every child run_child is waiting for (the grader is stopping).
void kill_running_children();

// What went wrong, in a sentence a student can act on; empty when the child exited with status 0.
std::string describe_failure(const ChildResult& result, const ChildLimits& limits);

}  // namespace archlab::grading
