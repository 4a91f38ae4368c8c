// The sandbox's decisions, as pure functions: how the child's report is framed
// on the pipe, how big it may be, which rlimits to set, and what a child's end
// (report, exit status, why the parent killed it) means for the job.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "sandbox.hpp"

namespace archlab::real::sandbox_detail {

inline constexpr std::size_t kErrorTextBytes = 4096;
inline constexpr std::string_view kNoOutputText = "Code did not return any output";

// What the child sends back: everything but elapsed time.
struct ChildReport {
    OutcomeKind kind = OutcomeKind::ok;
    std::string result;
    std::string error;
    std::string output;
};

// "ARCHLAB1 <kind> <result bytes> <error bytes> <output bytes>\n" then the three texts.
// The error text is cut to kErrorTextBytes here so the frame has a known bound.
std::string encode_report(const ChildReport& report);
std::optional<ChildReport> decode_report(std::string_view frame);
// The most the parent reads from a well-behaved child; more means kill.
std::size_t max_report_bytes(const SandboxLimits& limits);

// RLIMIT_AS is set on top of what the forked child already maps (a worker's
// threads and malloc arenas), so the Duktape cap is the one that normally trips.
std::uint64_t address_space_limit_bytes(std::uint64_t current_vm_bytes, std::size_t memory_bytes);
// RLIMIT_CPU is whole seconds and a backstop behind the exec-timeout.
std::uint64_t cpu_limit_s(double cpu_timeout_s);

// Kind of a script's end inside the child, from Duktape's return and the flags
// the allocator, clock check and console set on the way.
OutcomeKind script_outcome_kind(bool eval_succeeded, bool timed_out, bool memory_hit,
                                bool output_hit);

struct ChildEnd {
    std::optional<ChildReport> report;  // decoded frame, if a whole one arrived
    bool killed_at_wall_clock = false;
    bool killed_for_flood = false;  // the pipe carried more than max_report_bytes
    bool exited = false;            // normal exit (then exit_code), else signal
    int exit_code = 0;
    int signal = 0;
};
inline constexpr int kSetupFailedExitCode = 121;  // the child could not apply its limits

ChildReport classify_child_end(const ChildEnd& end, const SandboxLimits& limits);

}  // namespace archlab::real::sandbox_detail
