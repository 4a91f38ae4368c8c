#include "sim/grading/child_process.hpp"

#include "sim/grading/comparison.hpp"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <mutex>
#include <set>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace archlab::grading {

namespace {
std::mutex running_mutex;
std::set<pid_t> running;  // children between fork and reaping, for kill_running_children

void set_limit(int resource, rlim_t soft, rlim_t hard)
{
  struct rlimit limit{soft, hard};
  setrlimit(resource, &limit);
}

// Between fork and exec: only async-signal-safe calls (the grader may have other threads).
[[noreturn]] void become_child(char* const* argv, const char* cwd, int out_fd, int err_fd, const ChildLimits& limits, pid_t grader)
{
  setpgid(0, 0);  // its own group, so a timeout kills everything it started
  // Should the grader die (SIGKILL, a crash), so does the simulation, at once, not at its CPU limit.
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != grader)
    _exit(127);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);  // the grader blocks its stopping signals; a simulation must not
  int null_fd = open("/dev/null", O_RDONLY);
  if (null_fd < 0 || dup2(null_fd, STDIN_FILENO) < 0 || dup2(out_fd, STDOUT_FILENO) < 0 || dup2(err_fd, STDERR_FILENO) < 0)
    _exit(127);
  if (chdir(cwd) != 0)
    _exit(127);
  auto cpu_s = static_cast<rlim_t>(limits.cpu_s + 0.999);
  set_limit(RLIMIT_CPU, cpu_s, cpu_s + 1);  // SIGXCPU at the soft limit, SIGKILL a second later
  auto memory = static_cast<rlim_t>(limits.memory_mb * 1024 * 1024);
  set_limit(RLIMIT_AS, memory, memory);
  set_limit(RLIMIT_CORE, 0, 0);
  execv(argv[0], argv);
  _exit(127);
}

void kill_group(pid_t pid)
{
  kill(-pid, SIGKILL);
  kill(pid, SIGKILL);
}
}  // namespace

ChildResult run_child(const std::vector<std::string>& argv, const std::string& cwd, const ChildLimits& limits)
{
  ChildResult result;
  std::vector<char*> c_argv;
  for (const auto& arg : argv)
    c_argv.push_back(const_cast<char*>(arg.c_str()));
  c_argv.push_back(nullptr);
  int out_pipe[2], err_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) != 0)
    return result;
  if (pipe2(err_pipe, O_CLOEXEC) != 0) {
    close(out_pipe[0]);
    close(out_pipe[1]);
    return result;
  }
  pid_t pid;
  {
    // Registered under the same lock kill_running_children takes: no child escapes between the two.
    std::lock_guard lock(running_mutex);
    pid_t grader = getpid();
    pid = fork();
    if (pid == 0)
      become_child(c_argv.data(), cwd.c_str(), out_pipe[1], err_pipe[1], limits, grader);
    if (pid > 0)
      running.insert(pid);
  }
  close(out_pipe[1]);
  close(err_pipe[1]);
  if (pid < 0) {
    close(out_pipe[0]);
    close(err_pipe[0]);
    return result;
  }
  setpgid(pid, pid);  // also from here: whichever runs first, the group exists before any kill
  auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(limits.wall_s);
  pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
  std::string* sinks[2] = {&result.out, &result.err};
  int open_fds = 2;
  bool is_killed = false;
  while (open_fds > 0) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
    if (left <= 0) {
      kill_group(pid);
      result.ending = ChildEnding::wall_limit;
      is_killed = true;
      break;
    }
    int ready = poll(fds, 2, static_cast<int>(std::min<long long>(left, 1000)));
    if (ready < 0 && errno != EINTR)
      break;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
        continue;
      char buffer[65536];
      ssize_t got = read(fds[i].fd, buffer, sizeof buffer);
      if (got > 0) {
        sinks[i]->append(buffer, static_cast<std::size_t>(got));
      } else if (got == 0 || errno != EINTR) {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open_fds;
      }
    }
    if (result.out.size() + result.err.size() > limits.max_output_bytes) {
      kill_group(pid);
      result.ending = ChildEnding::output_limit;
      is_killed = true;
      break;
    }
  }
  for (auto& fd : fds)
    if (fd.fd >= 0)
      close(fd.fd);
  // Both pipes closed: the child is exiting. Wait for it, but never past the deadline.
  int status = 0;
  while (true) {
    pid_t done = waitpid(pid, &status, is_killed ? 0 : WNOHANG);
    if (done == pid || (done < 0 && errno != EINTR))
      break;
    if (!is_killed && std::chrono::steady_clock::now() >= deadline) {
      kill_group(pid);
      result.ending = ChildEnding::wall_limit;
      is_killed = true;
      continue;
    }
    if (!is_killed)
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  kill(-pid, SIGKILL);  // anything the child left behind in its group
  {
    std::lock_guard lock(running_mutex);
    running.erase(pid);
  }
  if (is_killed)
    return result;
  if (WIFEXITED(status)) {
    result.ending = ChildEnding::exited;
    result.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    result.ending = ChildEnding::signalled;
    result.signal = WTERMSIG(status);
  }
  return result;
}

void kill_running_children()
{
  std::lock_guard lock(running_mutex);
  for (pid_t pid : running)
    kill_group(pid);
}

std::string describe_failure(const ChildResult& result, const ChildLimits& limits)
{
  auto first_lines = [](const std::string& text) {
    std::string kept;
    std::size_t start = 0;
    for (int lines = 0; lines < 12 && start < text.size(); ++lines) {
      auto end = text.find('\n', start);
      kept += text.substr(start, end == std::string::npos ? std::string::npos : end - start + 1);
      start = end == std::string::npos ? text.size() : end + 1;
    }
    if (start < text.size())
      kept += "...\n";
    while (!kept.empty() && kept.back() == '\n')
      kept.pop_back();
    return kept;
  };
  switch (result.ending) {
  case ChildEnding::not_started:
    return "the simulation could not be started (the grading machine is out of processes?)";
  case ChildEnding::wall_limit:
    return "the simulation was stopped at the wall-clock limit of " + format_number(limits.wall_s) +
           " s: it did not finish (does a request loop forever, or is the model too big?)";
  case ChildEnding::output_limit:
    return "the simulation printed more than " + std::to_string(limits.max_output_bytes >> 20) + " MiB and was stopped";
  case ChildEnding::signalled:
    if (result.signal == SIGXCPU || result.signal == SIGKILL)
      return "the simulation was stopped at the CPU-time limit of " + format_number(limits.cpu_s) + " s: it did not finish";
    return "the simulation crashed (signal " + std::to_string(result.signal) + ", " + strsignal(result.signal) +
           "), possibly at the memory limit of " + format_number(limits.memory_mb) + " MB";
  case ChildEnding::exited:
    if (result.exit_code == 0)
      return "";
    if (result.err.find("bad_alloc") != std::string::npos)
      return "the simulation ran out of memory at the limit of " + format_number(limits.memory_mb) + " MB";
    if (result.exit_code == 2)
      return "the model is not valid:\n" + first_lines(result.err);
    return "the simulation failed (exit status " + std::to_string(result.exit_code) + "):\n" + first_lines(result.err);
  }
  return "";
}

}  // namespace archlab::grading
