#include "sim/jobs/job_ledger.hpp"

namespace archlab {

std::uint64_t JobLedger::create(double now_s, bool is_measured)
{
  JobRecord record;
  record.created_s = now_s;
  record.is_measured = is_measured;
  records_.push_back(record);
  return records_.size();
}

void JobLedger::result_written(std::uint64_t job, JobState state, double now_s)
{
  auto& record = at(job);
  record.state = state;
  if (record.finished_s < 0)
    record.finished_s = now_s;
}

void JobLedger::seen_finished(std::uint64_t job, double now_s)
{
  auto& record = at(job);
  if (record.seen_s < 0)
    record.seen_s = now_s;
}

void JobLedger::mark_next(bool poison, int count)
{
  (poison ? poison_pending_ : never_ending_pending_) += count;
}

void JobLedger::on_sent(std::uint64_t job)
{
  if (!exists(job))
    return;
  auto& record = at(job);
  if (poison_pending_ > 0 && !record.is_poison && !record.is_never_ending) {
    record.is_poison = true;
    --poison_pending_;
  } else if (never_ending_pending_ > 0 && !record.is_poison && !record.is_never_ending) {
    record.is_never_ending = true;
    --never_ending_pending_;
  }
}

nlohmann::json JobLedger::summary(double window_s) const
{
  std::uint64_t submitted = 0, completed = 0, failed = 0, dead_lettered = 0, unfinished = 0, more_than_once = 0, given_up = 0,
                expired = 0, seen = 0;
  Histogram to_done, to_seen;
  for (const auto& record : records_) {
    if (!record.is_measured || !record.is_accepted)
      continue;
    ++submitted;
    more_than_once += record.executions > 1 ? 1 : 0;
    given_up += record.is_given_up ? 1 : 0;
    if (record.state == JobState::done) {
      ++completed;
      to_done.record(record.finished_s - record.created_s);
    } else if (record.state == JobState::failed) {
      ++failed;
    } else if (record.is_dead_lettered) {
      ++dead_lettered;
    } else {
      ++unfinished;
      expired += record.is_expired ? 1 : 0;
    }
    if (record.seen_s >= 0) {
      ++seen;
      to_seen.record(record.seen_s - record.created_s);
    }
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
          {"given_up", given_up},
          {"seen_by_client", seen},
          {"throughput_per_s", window_s > 0 ? static_cast<double>(completed) / window_s : 0.0},
          {"latency_s", figures(to_done)},
          {"seen_latency_s", figures(to_seen)}};
}

}  // namespace archlab
