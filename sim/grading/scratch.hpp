// The grader's private folder for one grading session (archlab-grade-XXXXXX under $TMPDIR): it
// holds copies of students' submissions, so it must go on every path out. Normally the destructor
// removes it; on SIGINT, SIGTERM, SIGHUP or SIGQUIT a watcher thread kills the running simulations
// and removes it before the grader dies of that signal; and should the grader die any other way
// (a crash, SIGKILL), a janitor process — forked at the start, in its own process group, waiting
// for a pipe only the grader holds — removes it when that pipe closes.
#pragma once

#include <atomic>
#include <filesystem>
#include <csignal>
#include <mutex>
#include <string>
#include <sys/types.h>
#include <thread>

namespace archlab::grading {

class ScratchSpace {
public:
  ScratchSpace();  // throws std::runtime_error when $TMPDIR is not writable
  ~ScratchSpace();
  ScratchSpace(const ScratchSpace&) = delete;
  ScratchSpace& operator=(const ScratchSpace&) = delete;

  // A new empty folder inside, for one submission.
  std::filesystem::path new_folder();
  const std::filesystem::path& dir() const { return dir_; }

private:
  void watch_signals();

  std::filesystem::path dir_;
  std::mutex mutex_;
  std::size_t folders_ = 0;
  int janitor_pipe_ = -1;  // the write end; the janitor removes dir_ once it closes
  pid_t janitor_ = -1;
  bool has_signal_mask_ = false;
  sigset_t previous_mask_{};
  std::atomic<bool> is_done_{false};
  std::thread watcher_;
};

}  // namespace archlab::grading
