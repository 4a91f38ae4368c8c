// The simulator's account of every job: a request that starts work a worker finishes later (the
// code runner's submissions). It stands in for the items of the job table — whoever reads a job's
// state reads it here — and it is what the summary's `jobs` section counts: submitted, completed,
// failed, dead-lettered, unfinished, executed more than once, and the latencies.
//
// A day at 100 jobs/s is 8.6 million jobs, so a job costs 14 bytes, kept column by column in chunks
// (no copy as it grows): its creation time, the time to its first result (a float: a latency), and
// its state, flags and executions packed in 16 bits. The time to the client's first sight of the
// result needs no column: it goes into its histogram when it happens.
#pragma once

#include "sim/core/world.hpp"
#include "sim/metrics/histogram.hpp"

#include <cstdint>
#include <deque>
#include <nlohmann/json.hpp>

namespace archlab {

// What a job looks like to whoever reads its item: nothing found, still pending, or finished. It
// travels in an answer's `item_state` (sim/core/call.hpp), which the core does not interpret.
enum class JobState : std::uint8_t { unknown, pending, done, failed };
inline JobState job_state_of(std::uint8_t item_state) { return static_cast<JobState>(item_state & 0x3); }
inline bool is_finished(JobState state) { return state == JobState::done || state == JobState::failed; }

class JobLedger {
public:
  std::uint64_t create(double now_s, bool is_measured);  // ids start at 1
  bool exists(std::uint64_t job) const { return job >= 1 && job <= created_s_.size(); }
  JobState state(std::uint64_t job) const { return exists(job) ? static_cast<JobState>(bits(job) & state_mask) : JobState::unknown; }
  double created_s(std::uint64_t job) const { return created_s_[job - 1]; }
  bool is_poison(std::uint64_t job) const { return (bits(job) & poison) != 0; }
  bool is_never_ending(std::uint64_t job) const { return (bits(job) & never_ending) != 0; }
  std::uint32_t executions(std::uint64_t job) const { return bits(job) >> executions_shift; }

  void accepted(std::uint64_t job) { set(job, is_accepted); }
  void execution_started(std::uint64_t job);
  // A result reaches the table. Later writes overwrite the state but not the first finish time.
  void result_written(std::uint64_t job, JobState state, double now_s);
  void dead_lettered(std::uint64_t job) { set(job, is_dead_lettered); }
  void expired(std::uint64_t job) { set(job, is_expired); }
  void seen_finished(std::uint64_t job, double now_s);
  void given_up(std::uint64_t job) { set(job, is_given_up); }

  // Outputs: a store that writes what a job produces (a bucket's object, a database's document)
  // takes a store number once, then tells each new output it makes for a job; a second new output
  // from the same store is a duplicate (a retry that wrote again under a new name). Overwriting the
  // same object or document is not a new output.
  std::uint8_t add_output_store();
  void output_created(std::uint64_t job, std::uint8_t store);
  bool has_duplicate_output(std::uint64_t job) const
  {
    return job - 1 < outputs_.size() && (outputs_[job - 1] & duplicate_output) != 0;
  }

  // Poison and never-ending marks wait here for the next jobs to be sent (see the queue's faults).
  void mark_next(bool poison, int count);
  void on_sent(std::uint64_t job);  // applies pending marks

  bool has_jobs() const { return !created_s_.empty(); }
  // Measured jobs only; `window_s` is the measured time span for the throughput.
  nlohmann::json summary(double window_s) const;

private:
  enum Bits : std::uint16_t {
    state_mask = 0x3,  // JobState: unknown, pending, done, failed
    is_measured = 1 << 2,       // created after the warm-up
    is_accepted = 1 << 3,       // the submit was answered ok: the client holds an id to poll
    is_dead_lettered = 1 << 4,
    is_expired = 1 << 5,        // dropped at the end of the queue's retention period
    is_given_up = 1 << 6,       // the client stopped polling
    poison = 1 << 7,            // always fails when run (fault "poison")
    never_ending = 1 << 8,      // runs for ever unless a time limit stops it (fault "never_ending")
    is_seen = 1 << 9,           // the client's poll has seen it finished
  };
  static constexpr int executions_shift = 10;  // 6 bits: counts up to 63 (only "more than once" matters)

  // Job ids come from create(): callers that may hold another number ask exists() first.
  std::uint16_t bits(std::uint64_t job) const { return bits_[job - 1]; }
  void set(std::uint64_t job, std::uint16_t flag) { bits_[job - 1] |= flag; }

  std::deque<double> created_s_;
  std::deque<float> done_after_s_;  // negative: no result yet
  std::deque<std::uint16_t> bits_;
  // Per job, one bit per output store and the duplicate mark: kept only once a store writes (a
  // model without stores pays nothing).
  static constexpr std::uint8_t duplicate_output = 0x80;
  static constexpr std::uint8_t output_stores = 7;
  std::deque<std::uint8_t> outputs_;
  std::uint8_t next_output_store_ = 0;
  Histogram to_seen_;               // measured, accepted jobs: creation to the client's first sight of the result
  int poison_pending_ = 0;
  int never_ending_pending_ = 0;
};

// The World's job ledger (a side table: the core knows nothing of jobs).
inline JobLedger& jobs_of(World& world) { return world.side_table<JobLedger>(); }

}  // namespace archlab
