#include "sim/cli/progress.hpp"

#include <cstdio>
#include <unistd.h>

namespace archlab::cli {

ProgressLine::ProgressLine(std::string what, std::size_t total, bool is_wanted)
    : what_(std::move(what)), total_(total), is_shown_(is_wanted && isatty(STDERR_FILENO)), started_(std::chrono::steady_clock::now())
{
  std::lock_guard lock(mutex_);
  show();
}

ProgressLine::~ProgressLine()
{
  if (has_written_)
    std::fprintf(stderr, "\r%*s\r", 72, "");  // the line goes, the answer follows on a clean line
}

void ProgressLine::set_total(std::size_t total)
{
  std::lock_guard lock(mutex_);
  total_ = total;
  show();
}

void ProgressLine::advance(std::size_t count)
{
  std::lock_guard lock(mutex_);
  done_ += count;
  show();
}

void ProgressLine::show()
{
  if (!is_shown_)
    return;
  double elapsed_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  char estimate[48] = "estimating";
  if (done_ > 0 && done_ < total_)
    std::snprintf(estimate, sizeof estimate, "about %.0f s left", elapsed_s / static_cast<double>(done_) * static_cast<double>(total_ - done_));
  else if (done_ >= total_)
    std::snprintf(estimate, sizeof estimate, "done in %.0f s", elapsed_s);
  std::fprintf(stderr, "\r  %s: %zu/%zu · %s   ", what_.c_str(), done_, total_, estimate);
  std::fflush(stderr);
  has_written_ = true;
}

}  // namespace archlab::cli
