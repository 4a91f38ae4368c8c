// The simulator's account of every job: a request that starts work a worker finishes later (the
// code runner's submissions). It stands in for the items of the job table — whoever reads a job's
// state reads it here — and it is what the summary's `jobs` section counts: submitted, completed,
// failed, dead-lettered, unfinished, executed more than once, and the latencies.
#pragma once

#include "sim/core/call.hpp"
#include "sim/metrics/histogram.hpp"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <vector>

namespace archlab {

struct JobRecord {
  double created_s = 0;
  double finished_s = -1;   // result written (done or failed)
  double seen_s = -1;       // the client's poll that first saw it finished
  std::uint32_t executions = 0;
  JobState state = JobState::pending;
  bool is_measured = false;       // created after the warm-up
  bool is_accepted = false;       // the submit was answered ok: the client holds an id to poll
  bool is_dead_lettered = false;
  bool is_expired = false;        // dropped at the end of the queue's retention period
  bool is_given_up = false;       // the client stopped polling
  bool is_poison = false;         // always fails when run (fault "poison")
  bool is_never_ending = false;   // runs for ever unless a time limit stops it (fault "never_ending")
};

class JobLedger {
public:
  std::uint64_t create(double now_s, bool is_measured);  // ids start at 1
  bool exists(std::uint64_t job) const { return job >= 1 && job <= records_.size(); }
  JobRecord& at(std::uint64_t job) { return records_.at(job - 1); }
  const JobRecord& at(std::uint64_t job) const { return records_.at(job - 1); }
  JobState state(std::uint64_t job) const { return exists(job) ? at(job).state : JobState::unknown; }

  void accepted(std::uint64_t job) { at(job).is_accepted = true; }
  void execution_started(std::uint64_t job) { ++at(job).executions; }
  // A result reaches the table. Later writes overwrite the state but not the first finish time.
  void result_written(std::uint64_t job, JobState state, double now_s);
  void dead_lettered(std::uint64_t job) { at(job).is_dead_lettered = true; }
  void expired(std::uint64_t job) { at(job).is_expired = true; }
  void seen_finished(std::uint64_t job, double now_s);
  void given_up(std::uint64_t job) { at(job).is_given_up = true; }

  // Poison and never-ending marks wait here for the next jobs to be sent (see the queue's faults).
  void mark_next(bool poison, int count);
  void on_sent(std::uint64_t job);  // applies pending marks

  bool has_jobs() const { return !records_.empty(); }
  // Measured jobs only; `window_s` is the measured time span for the throughput.
  nlohmann::json summary(double window_s) const;

private:
  std::vector<JobRecord> records_;
  int poison_pending_ = 0;
  int never_ending_pending_ = 0;
};

}  // namespace archlab
