// What one load-generator run observed, and the JSON it prints. The "jobs"
// section has the keys of `archlab run`'s job summary so `archlab compare` can
// put a model run and a real run side by side. Pure: times come in as numbers.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "status_doc.hpp"

namespace archlab::loadgen {

enum class JobEnd {
  unfinished,    // still pending when the run gave up on it (--give-up-s)
  completed,     // status "Executed"
  failed,        // status "failed"
  submit_error,  // the submission got a transport error or a non-2xx answer
};

struct JobOutcome {
  double scheduled_s = 0;             // open-loop submission time, from run start
  JobEnd end = JobEnd::unfinished;
  std::optional<double> seen_s;       // when the client first saw the final status
  std::optional<StatusDocument> final_document;
};

struct HttpCounts {
  std::map<long, std::uint64_t> status_counts;  // HTTP status code → answers
  std::uint64_t transport_errors = 0;           // no HTTP answer (refused, timeout, reset)
  std::uint64_t bad_bodies = 0;                 // 2xx whose body was not the expected JSON
  std::uint64_t submit_requests = 0;
  std::uint64_t status_requests = 0;
  std::uint64_t verify_requests = 0;
};

struct LoadSettings {
  double rate_per_s = 0;
  double duration_s = 0;
  std::string arrivals;
  std::uint64_t seed = 0;
  double poll_interval_s = 0;
  double give_up_s = 0;
  int max_connections = 0;
  double request_timeout_s = 0;
  std::string url;
};

struct LoadObserved {
  double wall_s = 0;             // whole run, drain and verify included
  double max_submit_lag_s = 0;   // how late a submission left (connection bound); open loop wants ~0
  double mean_submit_lag_s = 0;
  double started_at_unix_s = 0;  // the run's start on the system clock: its share of the stack's traces
};

// Exactly-once check: every finished job read again at the end must show the
// same status, result and finished time as when it was first seen.
struct VerifyCounts {
  std::uint64_t checked = 0;
  std::uint64_t unchanged = 0;
  std::uint64_t changed = 0;
  std::uint64_t errors = 0;  // no usable answer on the re-read
};

// Per-job latency: the server's finished_at_ms - submitted_at_ms when both are
// there (as the simulator's latency: creation to result written), else the
// client's view (scheduled submission to the poll that saw the result).
nlohmann::json jobs_summary(const std::vector<JobOutcome>& jobs, double duration_s);
nlohmann::json http_summary(const HttpCounts& counts);
nlohmann::json load_summary(const LoadSettings& settings, const LoadObserved& observed);
nlohmann::json verify_summary(const VerifyCounts& counts);

}  // namespace archlab::loadgen
