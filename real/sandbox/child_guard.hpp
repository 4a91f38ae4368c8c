// The generic half of the sandbox: fork a child, lock it down (fds, rlimits,
// no_new_privs, seccomp), run a program in it and bring its report home over a
// pipe under the wall clock. run_javascript is one program; the seccomp tests
// use others that make forbidden system calls directly.
#pragma once

#include <functional>

#include "outcome.hpp"
#include "sandbox.hpp"

namespace archlab::real::sandbox_detail {

struct ChildProgram {
    // Runs in the child after the rlimits, before the seccomp filter: build
    // what the untrusted code needs here (heap, time-zone data).
    std::function<void()> prepare;
    // Runs under the filter; may only compute, allocate and read the clock.
    std::function<ChildReport()> run;
};

SandboxOutcome run_in_child(const ChildProgram& program, const SandboxLimits& limits,
                            const std::function<void()>& on_tick, double tick_interval_s);

// For code deep in the child that must end it now (Duktape's fatal handler):
// sends the report and _exits. Only valid inside a child started above.
[[noreturn]] void finish_child(const ChildReport& report);

}  // namespace archlab::real::sandbox_detail
