// A progress line with an estimate of the time left, on stderr, for commands that run many
// simulations (replications, theory, compare, sweep). Shown only when stderr is a terminal: a log or
// a pipe gets nothing. Safe to advance from several threads.
#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>

namespace archlab::cli {

class ProgressLine {
public:
  // `what` names the unit counted ("replications", "points"); `is_wanted` is false for --quiet/--json.
  ProgressLine(std::string what, std::size_t total, bool is_wanted = true);
  ~ProgressLine();
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

  void set_total(std::size_t total);
  void advance(std::size_t count = 1);

private:
  void show();
  std::string what_;
  std::size_t total_;
  std::size_t done_ = 0;
  bool is_shown_;
  bool has_written_ = false;
  std::chrono::steady_clock::time_point started_;
  std::mutex mutex_;
};

}  // namespace archlab::cli
