#include "sim/jobs/job_ledger.hpp"

#include <algorithm>

namespace archlab {

std::uint64_t JobLedger::create(double now_s, bool is_measured)
{
  created_s_.push_back(now_s);
  done_after_s_.push_back(-1);
  bits_.push_back(static_cast<std::uint16_t>(static_cast<std::uint16_t>(JobState::pending) | (is_measured ? Bits::is_measured : 0)));
  return created_s_.size();
}

void JobLedger::execution_started(std::uint64_t job)
{
  std::uint16_t& packed = bits_[job - 1];
  if ((packed >> executions_shift) < 63)
    packed = static_cast<std::uint16_t>(packed + (1 << executions_shift));
}

void JobLedger::result_written(std::uint64_t job, JobState state, double now_s)
{
  std::uint16_t& packed = bits_[job - 1];
  packed = static_cast<std::uint16_t>((packed & ~state_mask) | static_cast<std::uint16_t>(state));
  float& done_after_s = done_after_s_[job - 1];
  if (done_after_s < 0)
    done_after_s = static_cast<float>(now_s - created_s(job));
}

void JobLedger::seen_finished(std::uint64_t job, double now_s)
{
  std::uint16_t packed = bits(job);
  if (packed & is_seen)
    return;
  set(job, is_seen);
  if ((packed & Bits::is_measured) && (packed & is_accepted))
    to_seen_.record(now_s - created_s(job));
}

void JobLedger::mark_next(bool poison_marks, int count)
{
  (poison_marks ? poison_pending_ : never_ending_pending_) += count;
}

void JobLedger::on_sent(std::uint64_t job)
{
  if (!exists(job) || (bits(job) & (poison | never_ending)))
    return;
  if (poison_pending_ > 0) {
    set(job, poison);
    --poison_pending_;
  } else if (never_ending_pending_ > 0) {
    set(job, never_ending);
    --never_ending_pending_;
  }
}

// An eighth store and beyond share the last bit: their duplicates are still found, a job writing to
// two of them once each would count as a duplicate (models have two or three stores).
std::uint8_t JobLedger::add_output_store()
{
  std::uint8_t store = std::min<std::uint8_t>(next_output_store_, output_stores - 1);
  next_output_store_ = static_cast<std::uint8_t>(std::min<int>(next_output_store_ + 1, output_stores));
  return static_cast<std::uint8_t>(1u << store);
}

void JobLedger::output_created(std::uint64_t job, std::uint8_t store)
{
  if (!exists(job))
    return;
  if (outputs_.size() < job)
    outputs_.resize(job, 0);
  std::uint8_t& seen = outputs_[job - 1];
  if (seen & store)
    seen |= duplicate_output;
  seen |= store;
}

nlohmann::json JobLedger::summary(double window_s) const
{
  std::uint64_t submitted = 0, completed = 0, failed = 0, dead_lettered = 0, unfinished = 0, more_than_once = 0, given_up = 0,
                expired = 0, seen = 0, duplicate_outputs = 0;
  Histogram to_done;
  for (std::size_t i = 0; i < bits_.size(); ++i) {
    std::uint16_t packed = bits_[i];
    if (!(packed & Bits::is_measured) || !(packed & is_accepted))
      continue;
    ++submitted;
    more_than_once += (packed >> executions_shift) > 1 ? 1 : 0;
    given_up += (packed & is_given_up) ? 1 : 0;
    auto state = static_cast<JobState>(packed & state_mask);
    if (state == JobState::done) {
      ++completed;
      to_done.record(done_after_s_[i]);
    } else if (state == JobState::failed) {
      ++failed;
    } else if (packed & is_dead_lettered) {
      ++dead_lettered;
    } else {
      ++unfinished;
      expired += (packed & is_expired) ? 1 : 0;
    }
    seen += (packed & is_seen) ? 1 : 0;
    duplicate_outputs += has_duplicate_output(i + 1) ? 1 : 0;
  }
  auto figures = [](const Histogram& latency) {
    if (latency.count() == 0)
      return nlohmann::json{{"mean", nullptr}, {"p50", nullptr}, {"p99", nullptr}, {"max", nullptr}};
    return nlohmann::json{{"mean", latency.mean()}, {"p50", latency.percentile(0.5)}, {"p99", latency.percentile(0.99)}, {"max", latency.max()}};
  };
  return {{"submitted", submitted},
          {"completed", completed},
          {"failed", failed},
          {"dead_lettered", dead_lettered},
          {"unfinished", unfinished},
          {"expired", expired},
          {"executed_more_than_once", more_than_once},
          {"outputs_written_more_than_once", duplicate_outputs},
          {"given_up", given_up},
          {"seen_by_client", seen},
          {"throughput_per_s", window_s > 0 ? static_cast<double>(completed) / window_s : 0.0},
          {"latency_s", figures(to_done)},
          {"seen_latency_s", figures(to_seen_)}};
}

}  // namespace archlab
