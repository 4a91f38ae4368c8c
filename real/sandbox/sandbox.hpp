// Runs untrusted ES5 JavaScript (Duktape) in a forked child behind several
// independent limits, so a bug in one layer does not free the job:
//   Duktape allocator cap (memory_bytes), Duktape exec-timeout (cpu_timeout_s),
//   rlimits (address space, CPU, no files, no processes, no core dumps),
//   no_new_privs + a seccomp allow-list (no open/socket/fork/exec at all),
//   and the parent's wall clock, which SIGKILLs the child at wall_timeout_s.
// Results come back over a pipe whose size the parent caps while reading.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>

namespace archlab::real {

struct SandboxLimits {
    double cpu_timeout_s = 2.0;   // interpreter time; the exec-timeout stops the script
    double wall_timeout_s = 3.0;  // real time; catches native builtins that never check the clock
    std::size_t memory_bytes = std::size_t{64} << 20;  // JavaScript heap
    std::size_t output_bytes = std::size_t{64} << 10;  // console.log text, and again the result text
};

enum class OutcomeKind {
    ok,            // ran to the end; result holds the last expression's value
    error,         // syntax error or uncaught exception
    timeout,       // CPU or wall-clock limit
    memory_limit,  // heap cap reached
    output_limit,  // console.log or result text over output_bytes
    killed,        // the child died on a signal: seccomp violation, crash, outside kill
    sandbox_error  // the sandbox itself could not start (fork, pipe, rlimits): not the job's fault
};

struct SandboxOutcome {
    OutcomeKind kind = OutcomeKind::sandbox_error;
    std::string result;  // ok: value as text, or "Code did not return any output"
    std::string error;   // any other kind: what happened
    std::string output;  // captured console.log lines, at most output_bytes
    double elapsed_ms = 0;
};

std::string to_string(OutcomeKind kind);
std::optional<OutcomeKind> outcome_kind_from_string(const std::string& text);
// One line of JSON: {"kind","result","error","output","elapsed_ms"}.
std::string to_json(const SandboxOutcome& outcome);

// Empty when the limits are usable, else what is wrong with them.
std::optional<std::string> validate_limits(const SandboxLimits& limits);

// Blocks until the child ends. on_tick, when given, is called from this thread
// about every tick_interval_s while the child runs (the worker extends its
// queue message's visibility there); exceptions from it are swallowed, and the
// wall clock is checked again right after it returns.
SandboxOutcome run_javascript(const std::string& code, const SandboxLimits& limits,
                              const std::function<void()>& on_tick = {},
                              double tick_interval_s = 1.0);

}  // namespace archlab::real
