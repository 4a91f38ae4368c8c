// The stack's call timings (real/common/call_timings.hpp) around one load run:
// every process of real/local/stack.sh rewrites DIR/<process>.json twice a
// second; read the directory before and after the run, and the difference is
// what this run's load cost, per role ("api", "worker") and operation.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "call_timings.hpp"

namespace archlab::loadgen {

struct TimingsFile {
  std::string role;
  std::int64_t written_at_unix_ms = 0;
  real::OperationHistograms operations;
};
using TimingsSnapshot = std::map<std::string, TimingsFile>;  // file name → its snapshot

// Reads every *.json in `dir`. Throws std::runtime_error naming the directory or
// file when it is missing or a file is not a timings snapshot.
TimingsSnapshot read_timings_dir(const std::string& dir);

// Waits (up to timeout_s) until every file was rewritten at or after since_unix_ms,
// so the snapshot covers the whole run; returns the last read and the files that
// stayed older (a process that stopped, or a slow machine).
struct FreshSnapshot {
  TimingsSnapshot snapshot;
  std::vector<std::string> stale_files;
};
FreshSnapshot read_fresh_timings(const std::string& dir, std::int64_t since_unix_ms, double timeout_s);

// {role: {operation: {count, mean, p50, p90, p99}}} of after − before (a file that
// appeared in between counts whole).
nlohmann::json operations_between(const TimingsSnapshot& before, const TimingsSnapshot& after);

}  // namespace archlab::loadgen
