// The steps a worker takes for each message, as data (the seed's worker: GetItem, run the code,
// UpdateItem, DeleteMessage), and the pure rule for where handling goes after each step.
#pragma once

#include "sim/jobs/job_ledger.hpp"

#include <cstddef>
#include <string>
#include <vector>

namespace archlab {

struct StepTraits {
  bool runs_job = false;          // runs the job's code: an execution (poison fails here, never-ending code hangs here)
  bool writes_result = false;     // the write of the job's result
  bool deletes_message = false;   // DeleteMessage
  bool skip_if_finished = false;  // the job's item says finished: skip to the step that deletes the message
};

enum class OnError : std::uint8_t {
  leave,           // log and move on: the message comes back after its visibility timeout (the seed)
  delete_message,  // drop it
  record_failure,  // write the job as failed, then delete it
};

struct NextMove {
  enum Kind : std::uint8_t { step, finished, error } kind;
  std::size_t index = 0;  // the next step, for kind == step
};

// Where a message's handling goes after step `index` ended (`ok`: it succeeded; `seen`: the job state
// the step read, if it read one).
NextMove after_step(const std::vector<StepTraits>& steps, std::size_t index, bool ok, JobState seen);

// How long a run of the job's code holds the worker, and whether it ends in an error: poison code
// fails after its normal time, never-ending code runs until the time limit (or for ever).
struct CodeRun {
  double duration_s = 0;  // infinity: never ends
  bool fails = false;
};
CodeRun run_code(double normal_duration_s, bool is_poison, bool is_never_ending, double time_limit_s /* infinity: none */);

}  // namespace archlab
