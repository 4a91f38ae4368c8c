// The load generator's event loop: one thread, libcurl multi, open-loop
// submissions on a precomputed schedule, per-job status polling, a bound on
// requests in flight. Not pure (clock, network); tested end to end against a
// fake API (loadgen_integration_test.py).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "options.hpp"
#include "summary.hpp"

namespace archlab::loadgen {

struct RunResult {
  std::vector<JobOutcome> jobs;
  HttpCounts http;
  LoadObserved observed;
  std::optional<VerifyCounts> verify;  // with --verify
};

// schedule_s: submission times from arrival_times_s. `on_load_done` runs when the
// last job is finished or given up, before the --verify re-reads (whose requests
// are not the load). Throws std::runtime_error when libcurl cannot be set up.
RunResult run_load(const Options& options, const std::vector<double>& schedule_s,
                   const std::function<void()>& on_load_done = {});

}  // namespace archlab::loadgen
