#include "outcome.hpp"

#include <nlohmann/json.hpp>

#include <csignal>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <sstream>

namespace archlab::real {

namespace {
constexpr const char* kKindNames[] = {"ok",           "error",  "timeout",      "memory_limit",
                                      "output_limit", "killed", "sandbox_error"};
constexpr int kKindCount = sizeof(kKindNames) / sizeof(kKindNames[0]);

}  // namespace

std::string to_string(OutcomeKind kind) { return kKindNames[static_cast<int>(kind)]; }

std::optional<OutcomeKind> outcome_kind_from_string(const std::string& text) {
    for (int i = 0; i < kKindCount; ++i)
        if (text == kKindNames[i]) return static_cast<OutcomeKind>(i);
    return std::nullopt;
}

std::string to_json(const SandboxOutcome& outcome) {
    // error_handler replace: job output is arbitrary bytes, not always valid UTF-8.
    return nlohmann::ordered_json{{"kind", to_string(outcome.kind)}, {"result", outcome.result}, {"error", outcome.error},
                                  {"output", outcome.output}, {"elapsed_ms", outcome.elapsed_ms}}
        .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::optional<std::string> validate_limits(const SandboxLimits& limits) {
    if (!(limits.cpu_timeout_s > 0) || limits.cpu_timeout_s > 3600)
        return "cpu_timeout_s must be in (0, 3600]";
    if (!(limits.wall_timeout_s > 0) || limits.wall_timeout_s > 3600)
        return "wall_timeout_s must be in (0, 3600]";
    if (limits.memory_bytes < (std::size_t{1} << 20) || limits.memory_bytes > (std::size_t{16} << 30))
        return "memory_bytes must be between 1 MiB and 16 GiB";
    if (limits.output_bytes < 64 || limits.output_bytes > (std::size_t{64} << 20))
        return "output_bytes must be between 64 B and 64 MiB";
    return std::nullopt;
}

namespace sandbox_detail {

std::string encode_report(const ChildReport& report) {
    const std::string error = report.error.substr(0, kErrorTextBytes);
    std::string frame = "ARCHLAB1 " + std::to_string(static_cast<int>(report.kind)) + " " +
                        std::to_string(report.result.size()) + " " + std::to_string(error.size()) +
                        " " + std::to_string(report.output.size()) + "\n";
    return frame + report.result + error + report.output;
}

std::optional<ChildReport> decode_report(std::string_view frame) {
    const auto newline = frame.find('\n');
    if (newline == std::string_view::npos || newline > 100) return std::nullopt;
    std::istringstream header{std::string(frame.substr(0, newline))};
    std::string magic;
    int kind = -1;
    std::size_t result_bytes = 0, error_bytes = 0, output_bytes = 0;
    if (!(header >> magic >> kind >> result_bytes >> error_bytes >> output_bytes)) return std::nullopt;
    if (magic != "ARCHLAB1" || kind < 0 || kind >= kKindCount) return std::nullopt;
    const std::string_view body = frame.substr(newline + 1);
    if (body.size() != result_bytes + error_bytes + output_bytes) return std::nullopt;
    ChildReport report;
    report.kind = static_cast<OutcomeKind>(kind);
    report.result = body.substr(0, result_bytes);
    report.error = body.substr(result_bytes, error_bytes);
    report.output = body.substr(result_bytes + error_bytes);
    return report;
}

std::size_t max_report_bytes(const SandboxLimits& limits) {
    return 128 + 2 * limits.output_bytes + kErrorTextBytes;
}

std::uint64_t address_space_limit_bytes(std::uint64_t current_vm_bytes, std::size_t memory_bytes) {
    // Duktape's own bookkeeping and malloc's rounding sit outside the heap cap.
    constexpr std::uint64_t headroom_bytes = std::uint64_t{64} << 20;
    return current_vm_bytes + 2 * static_cast<std::uint64_t>(memory_bytes) + headroom_bytes;
}

std::uint64_t cpu_limit_s(double cpu_timeout_s) {
    return static_cast<std::uint64_t>(std::ceil(cpu_timeout_s)) + 1;
}

OutcomeKind script_outcome_kind(bool eval_succeeded, bool timed_out, bool memory_hit,
                                bool output_hit) {
    // A limit that fired explains the end better than the error it caused, and
    // output cut short is not a full answer even if the script caught the error.
    if (output_hit) return OutcomeKind::output_limit;
    if (eval_succeeded) return OutcomeKind::ok;
    if (timed_out) return OutcomeKind::timeout;
    if (memory_hit) return OutcomeKind::memory_limit;
    return OutcomeKind::error;
}

ChildReport classify_child_end(const ChildEnd& end, const SandboxLimits& limits) {
    ChildReport out;
    if (end.killed_for_flood) {
        out.kind = OutcomeKind::output_limit;
        out.error = "child sent more than " + std::to_string(max_report_bytes(limits)) +
                    " bytes, killed";
        return out;
    }
    if (end.report && end.exited && end.exit_code == 0) return *end.report;
    if (end.killed_at_wall_clock) {
        out.kind = OutcomeKind::timeout;
        char text[96];
        std::snprintf(text, sizeof text, "wall-clock timeout after %g s, killed", limits.wall_timeout_s);
        out.error = text;
        return out;
    }
    if (end.exited) {
        out.kind = end.exit_code == kSetupFailedExitCode ? OutcomeKind::sandbox_error
                                                         : OutcomeKind::killed;
        out.error = end.exit_code == kSetupFailedExitCode
                        ? "sandbox child could not apply its limits"
                        : "child exited with code " + std::to_string(end.exit_code) +
                              " without a result";
        return out;
    }
    if (end.signal == SIGXCPU) {
        out.kind = OutcomeKind::timeout;
        out.error = "CPU time rlimit of " + std::to_string(cpu_limit_s(limits.cpu_timeout_s)) +
                    " s reached";
        return out;
    }
    out.kind = OutcomeKind::killed;
    if (end.signal == SIGSYS)
        out.error = "killed: forbidden system call (seccomp)";
    else {
        const char* name = sigdescr_np(end.signal);  // thread-safe, unlike strsignal
        out.error = "killed by signal " + std::to_string(end.signal) + " (" +
                    (name ? name : "unknown") + ")";
    }
    return out;
}

}  // namespace sandbox_detail
}  // namespace archlab::real
