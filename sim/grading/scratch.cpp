#include "sim/grading/scratch.hpp"

#include "sim/grading/child_process.hpp"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <pthread.h>
#include <stdexcept>
#include <sys/wait.h>
#include <unistd.h>

namespace archlab::grading {

namespace fs = std::filesystem;

namespace {
constexpr int stopping_signals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};

sigset_t stopping_set()
{
  sigset_t set;
  sigemptyset(&set);
  for (int signal : stopping_signals)
    sigaddset(&set, signal);
  return set;
}

// In the forked janitor: only async-signal-safe calls (the grader may already run threads).
[[noreturn]] void become_janitor(int read_fd, const char* dir)
{
  setpgid(0, 0);  // a Ctrl-C to the grader's group must not take the janitor with it
  for (int signal : stopping_signals)
    ::signal(signal, SIG_IGN);
  if (read_fd != 3) {
    dup2(read_fd, 3);
    read_fd = 3;
  }
  int null_fd = open("/dev/null", O_RDWR);
  if (null_fd >= 0)
    for (int fd = 0; fd < 3; ++fd)
      dup2(null_fd, fd);
  // Nobody waiting for the end of the grader's output should wait for the janitor.
  if (close_range(4, ~0u, 0) != 0)
    for (int fd = 4; fd < 4096; ++fd)
      close(fd);
  char byte;
  while (true) {
    ssize_t got = read(read_fd, &byte, 1);
    if (got == 0 || (got < 0 && errno != EINTR))
      break;
  }
  const char* remover[] = {"/bin/rm", "/usr/bin/rm"};
  for (const char* rm : remover)
    execl(rm, "rm", "-rf", "--", dir, static_cast<char*>(nullptr));
  _exit(1);
}
}  // namespace

ScratchSpace::ScratchSpace()
{
  auto pattern = (fs::temp_directory_path() / "archlab-grade-XXXXXX").string();
  if (!mkdtemp(pattern.data()))
    throw std::runtime_error("cannot create a temporary folder in " + fs::temp_directory_path().string());
  dir_ = pattern;
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) == 0) {
    janitor_ = fork();
    if (janitor_ == 0)
      become_janitor(fds[0], dir_.c_str());
    close(fds[0]);
    if (janitor_ > 0)
      janitor_pipe_ = fds[1];
    else
      close(fds[1]);
  }
  // Signals go to the watcher alone: every thread started from here on inherits the mask.
  sigset_t set = stopping_set();
  has_signal_mask_ = pthread_sigmask(SIG_BLOCK, &set, &previous_mask_) == 0;
  if (has_signal_mask_)
    watcher_ = std::thread([this] { watch_signals(); });
}

ScratchSpace::~ScratchSpace()
{
  is_done_ = true;
  if (watcher_.joinable())
    watcher_.join();
  std::error_code ignored;
  fs::remove_all(dir_, ignored);
  if (janitor_pipe_ >= 0)
    close(janitor_pipe_);
  if (janitor_ > 0)
    waitpid(janitor_, nullptr, 0);  // it only runs rm on a folder already gone
  if (has_signal_mask_)
    pthread_sigmask(SIG_SETMASK, &previous_mask_, nullptr);  // a signal that came just now acts as usual
}

fs::path ScratchSpace::new_folder()
{
  std::lock_guard lock(mutex_);
  auto folder = dir_ / std::to_string(folders_++);
  fs::create_directory(folder);
  return folder;
}

void ScratchSpace::watch_signals()
{
  sigset_t set = stopping_set();
  timespec wait_s{0, 100'000'000};
  while (!is_done_) {
    int signal = sigtimedwait(&set, nullptr, &wait_s);
    if (signal <= 0)
      continue;
    kill_running_children();
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
    std::string message = "archlab grade: stopped by signal " + std::to_string(signal) + " (" + strsignal(signal) +
                          "); the temporary folder " + dir_.string() + " was removed\n";
    if (write(STDERR_FILENO, message.data(), message.size()) < 0) {
    }
    // Die of the signal itself, as the caller expects.
    ::signal(signal, SIG_DFL);
    sigset_t only;
    sigemptyset(&only);
    sigaddset(&only, signal);
    pthread_sigmask(SIG_UNBLOCK, &only, nullptr);
    raise(signal);
    _exit(128 + signal);
  }
}

}  // namespace archlab::grading
