#include "child_guard.hpp"

#include <fcntl.h>
#include <malloc.h>
#include <poll.h>
#include <seccomp.h>

#include <limits>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <new>
#include <thread>

namespace archlab::real::sandbox_detail {
namespace {

using Clock = std::chrono::steady_clock;
constexpr int kReportFd = 3;  // the pipe's write end, moved here so NOFILE can be tiny
int g_report_fd = -1;         // set only in the child

void write_all(int fd, const std::string& data) {
    std::size_t done = 0;
    while (done < data.size()) {
        const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;  // parent gone: nothing left to tell
        done += static_cast<std::size_t>(n);
    }
}

std::uint64_t current_vm_bytes() {
    const int fd = ::open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
    if (fd < 0) return 0;
    char buf[128] = {};
    const ssize_t n = ::read(fd, buf, sizeof buf - 1);
    ::close(fd);
    if (n <= 0) return 0;
    return std::strtoull(buf, nullptr, 10) * static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE));
}

bool set_limit(int resource, std::uint64_t value, std::uint64_t hard_extra = 0) {
    const rlimit limit{static_cast<rlim_t>(value), static_cast<rlim_t>(value + hard_extra)};
    return ::setrlimit(resource, &limit) == 0;
}

bool apply_rlimits(const SandboxLimits& limits) {
    return set_limit(RLIMIT_AS, address_space_limit_bytes(current_vm_bytes(), limits.memory_bytes)) &&
           // The soft CPU limit sends SIGXCPU (read as a timeout); with the hard one equal, the
           // kernel sends SIGKILL instead, which raced the wall clock and read as "killed".
           set_limit(RLIMIT_CPU, cpu_limit_s(limits.cpu_timeout_s), 1) &&
           set_limit(RLIMIT_FSIZE, 0) && set_limit(RLIMIT_NPROC, 0) &&
           set_limit(RLIMIT_CORE, 0) && set_limit(RLIMIT_NOFILE, kReportFd + 1);
}

// Allow-list: what an interpreter needs to compute, allocate and read clocks,
// plus write() for the report. Everything else (open, socket, clone, execve,
// even close) kills the whole process with SIGSYS. Memory may not become
// executable, so a JIT-style escape has nowhere to land.
bool install_seccomp() {
    if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return false;
    scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_KILL_PROCESS);
    if (!ctx) return false;
    bool ok = true;
    for (int call : {SCMP_SYS(read), SCMP_SYS(write), SCMP_SYS(brk), SCMP_SYS(munmap),
                     SCMP_SYS(mremap), SCMP_SYS(madvise), SCMP_SYS(futex),
                     SCMP_SYS(clock_gettime), SCMP_SYS(gettimeofday), SCMP_SYS(rt_sigreturn),
                     SCMP_SYS(exit), SCMP_SYS(exit_group)})
        ok = ok && seccomp_rule_add(ctx, SCMP_ACT_ALLOW, call, 0) == 0;
    for (int call : {SCMP_SYS(mmap), SCMP_SYS(mprotect)})
        ok = ok && seccomp_rule_add(ctx, SCMP_ACT_ALLOW, call, 1,
                                    SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0)) == 0;
    ok = ok && seccomp_load(ctx) == 0;
    seccomp_release(ctx);
    return ok;
}

[[noreturn]] void child_main(int report_fd, const ChildProgram& program,
                             const SandboxLimits& limits) {
    // Die with the worker; keep running through a terminal's Ctrl-C so a
    // graceful shutdown can finish the current job.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    ::signal(SIGINT, SIG_IGN);
    ::signal(SIGTERM, SIG_IGN);
    if (report_fd != kReportFd) {
        if (::dup2(report_fd, kReportFd) < 0) ::_exit(kSetupFailedExitCode);
    }
    // Nothing the worker had open (sockets to AWS, other children's pipes) stays.
    ::close_range(0, kReportFd - 1, 0);
    ::close_range(kReportFd + 1, ~0U, 0);
    g_report_fd = kReportFd;
    if (!apply_rlimits(limits)) ::_exit(kSetupFailedExitCode);
    try {
        if (program.prepare) program.prepare();
    } catch (...) {
        ::_exit(kSetupFailedExitCode);
    }
    // A child forked from the multi-threaded worker inherits several malloc arenas. When the heap
    // cap makes an allocation fail, glibc retries in another arena and, to size a new one, reads
    // /sys/devices/system/cpu/online: an openat the filter kills, so a memory bomb ended as
    // "forbidden system call" instead of memory_limit (seen once in a CI run). A fixed arena limit
    // means glibc never asks.
    ::mallopt(M_ARENA_MAX, 1);
    // The child runs on the thread that forked it, so it allocates from that thread's arena, a
    // heap of glibc's own. When a large free leaves that heap's top over the trim threshold, glibc
    // shrinks the heap, and the first time it does it opens /proc/sys/vm/overcommit_memory: an
    // openat the filter kills (a memory bomb's doubling strings ended as "forbidden system call",
    // seen again in a CI run). The child lives for one job within its address-space cap, so it keeps
    // what it frees instead.
    ::mallopt(M_TRIM_THRESHOLD, std::numeric_limits<int>::max());
    if (!install_seccomp()) ::_exit(kSetupFailedExitCode);
    ChildReport report;
    try {
        report = program.run();
    } catch (const std::bad_alloc&) {
        report = ChildReport{OutcomeKind::memory_limit, "", "out of memory in the sandbox", ""};
    } catch (...) {
        report = ChildReport{OutcomeKind::killed, "", "sandbox child failed", ""};
    }
    finish_child(report);
}

struct ParentRead {
    std::string frame;
    bool wall = false;
    bool flood = false;
};

ParentRead read_report(int fd, const SandboxLimits& limits, Clock::time_point deadline,
                       const std::function<void()>& on_tick, double tick_interval_s) {
    ParentRead read;
    const std::size_t max_bytes = max_report_bytes(limits);
    const auto tick_every = std::chrono::duration_cast<Clock::duration>(
        std::chrono::duration<double>(tick_interval_s));
    auto next_tick = Clock::now() + tick_every;
    char chunk[65536];
    for (;;) {
        auto now = Clock::now();
        if (on_tick && now >= next_tick) {
            try {
                on_tick();
            } catch (...) {
            }
            next_tick = Clock::now() + tick_every;
            now = Clock::now();
        }
        if (now >= deadline) {
            read.wall = true;
            return read;
        }
        const auto until = on_tick ? std::min(deadline, next_tick) : deadline;
        const auto wait_ms =
            std::chrono::duration_cast<std::chrono::milliseconds>(until - now).count() + 1;
        pollfd pfd{fd, POLLIN, 0};
        const int ready = ::poll(&pfd, 1, static_cast<int>(wait_ms));
        if (ready <= 0) continue;  // timeout or EINTR: re-check the clocks
        const ssize_t n = ::read(fd, chunk, sizeof chunk);
        if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
        if (n <= 0) return read;  // EOF: the child closed the pipe by exiting
        // Never hold more than a well-behaved child could send.
        if (read.frame.size() + static_cast<std::size_t>(n) > max_bytes) {
            read.flood = true;
            return read;
        }
        read.frame.append(chunk, static_cast<std::size_t>(n));
    }
}

// Reaps the child; kills it first if it outlives the deadline. Returns the status.
int reap(pid_t pid, Clock::time_point deadline, bool kill_now, bool& killed_at_wall) {
    if (kill_now) ::kill(pid, SIGKILL);
    int status = 0;
    for (;;) {
        const pid_t done = ::waitpid(pid, &status, kill_now ? 0 : WNOHANG);
        if (done == pid) return status;
        if (done < 0 && errno != EINTR) return 0;
        if (done == 0 && Clock::now() >= deadline) {
            ::kill(pid, SIGKILL);
            killed_at_wall = true;
            kill_now = true;
        } else if (done == 0) {
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
    }
}

}  // namespace

void finish_child(const ChildReport& report) {
    write_all(g_report_fd, encode_report(report));
    ::_exit(0);
}

SandboxOutcome run_in_child(const ChildProgram& program, const SandboxLimits& limits,
                            const std::function<void()>& on_tick, double tick_interval_s) {
    const auto started = Clock::now();
    const auto elapsed_ms = [&] {
        return std::chrono::duration<double, std::milli>(Clock::now() - started).count();
    };
    SandboxOutcome outcome;
    if (auto problem = validate_limits(limits)) {
        outcome.error = "bad sandbox limits: " + *problem;
        return outcome;
    }
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) {
        outcome.error = "pipe failed: " + std::string(std::strerror(errno));
        return outcome;
    }
    const pid_t pid = ::fork();
    if (pid < 0) {
        const int fork_errno = errno;
        ::close(fds[0]);
        ::close(fds[1]);
        outcome.error = "fork failed: " + std::string(std::strerror(fork_errno));
        return outcome;
    }
    if (pid == 0) child_main(fds[1], program, limits);
    ::close(fds[1]);

    const auto deadline = started + std::chrono::duration_cast<Clock::duration>(
                                        std::chrono::duration<double>(limits.wall_timeout_s));
    ParentRead read = read_report(fds[0], limits, deadline, on_tick, tick_interval_s);
    ChildEnd end;
    end.killed_at_wall_clock = read.wall;
    end.killed_for_flood = read.flood;
    const int status = reap(pid, deadline, read.wall || read.flood, end.killed_at_wall_clock);
    ::close(fds[0]);
    end.exited = WIFEXITED(status);
    end.exit_code = end.exited ? WEXITSTATUS(status) : 0;
    end.signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    if (!read.flood) end.report = decode_report(read.frame);

    ChildReport report = classify_child_end(end, limits);
    outcome.kind = report.kind;
    outcome.result = std::move(report.result);
    outcome.error = std::move(report.error);
    outcome.output = std::move(report.output);
    outcome.elapsed_ms = elapsed_ms();
    return outcome;
}

}  // namespace archlab::real::sandbox_detail
