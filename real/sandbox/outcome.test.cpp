#include <catch2/catch.hpp>

#include <csignal>

#include "outcome.hpp"

using namespace archlab::real;
using namespace archlab::real::sandbox_detail;

TEST_CASE("sandbox report frame survives a round trip, binary bytes included", "[sandbox]") {
    ChildReport report{OutcomeKind::error, std::string("a\0b", 3), "Error: x", "line 1\nline 2\n"};
    const auto decoded = decode_report(encode_report(report));
    REQUIRE(decoded);
    CHECK(decoded->kind == OutcomeKind::error);
    CHECK(decoded->result == report.result);
    CHECK(decoded->error == report.error);
    CHECK(decoded->output == report.output);
}

TEST_CASE("sandbox report frame rejects truncated, padded and foreign frames", "[sandbox]") {
    const std::string frame = encode_report(ChildReport{OutcomeKind::ok, "42", "", "out\n"});
    CHECK_FALSE(decode_report(frame.substr(0, frame.size() - 1)));
    CHECK_FALSE(decode_report(frame + "x"));
    CHECK_FALSE(decode_report(""));
    CHECK_FALSE(decode_report("HELLO 0 0 0 0\n"));
    CHECK_FALSE(decode_report("ARCHLAB1 99 0 0 0\n"));
}

TEST_CASE("sandbox report frame has a bound the parent can enforce", "[sandbox]") {
    SandboxLimits limits;
    limits.output_bytes = 1000;
    ChildReport big{OutcomeKind::ok, std::string(1000, 'r'), std::string(100000, 'e'),
                    std::string(1000, 'o')};
    const std::string frame = encode_report(big);
    CHECK(frame.size() <= max_report_bytes(limits));
    CHECK(decode_report(frame)->error.size() == kErrorTextBytes);
}

TEST_CASE("sandbox rlimits sit above the heap cap and the CPU timeout", "[sandbox]") {
    CHECK(address_space_limit_bytes(500u << 20, 64u << 20) > (500u << 20) + (64u << 20));
    CHECK(cpu_limit_s(2.0) == 3);
    CHECK(cpu_limit_s(0.2) == 2);
}

TEST_CASE("sandbox script outcome: a limit explains the end better than its error", "[sandbox]") {
    CHECK(script_outcome_kind(true, false, false, false) == OutcomeKind::ok);
    CHECK(script_outcome_kind(true, false, true, false) == OutcomeKind::ok);  // recovered
    CHECK(script_outcome_kind(false, false, false, false) == OutcomeKind::error);
    CHECK(script_outcome_kind(false, true, false, false) == OutcomeKind::timeout);
    CHECK(script_outcome_kind(false, false, true, false) == OutcomeKind::memory_limit);
    CHECK(script_outcome_kind(true, false, false, true) == OutcomeKind::output_limit);
}

TEST_CASE("sandbox child end classification", "[sandbox]") {
    const SandboxLimits limits;
    ChildEnd end;
    SECTION("a whole report and a clean exit is the report") {
        end.report = ChildReport{OutcomeKind::ok, "7", "", ""};
        end.exited = true;
        CHECK(classify_child_end(end, limits).result == "7");
    }
    SECTION("the wall clock beats a missing report") {
        end.killed_at_wall_clock = true;
        end.signal = SIGKILL;
        CHECK(classify_child_end(end, limits).kind == OutcomeKind::timeout);
    }
    SECTION("a flood is an output limit even with a report") {
        end.report = ChildReport{OutcomeKind::ok, "7", "", ""};
        end.killed_for_flood = true;
        CHECK(classify_child_end(end, limits).kind == OutcomeKind::output_limit);
    }
    SECTION("SIGXCPU is the CPU rlimit") {
        end.signal = SIGXCPU;
        CHECK(classify_child_end(end, limits).kind == OutcomeKind::timeout);
    }
    SECTION("SIGSYS is a seccomp kill") {
        end.signal = SIGSYS;
        const auto report = classify_child_end(end, limits);
        CHECK(report.kind == OutcomeKind::killed);
        CHECK_THAT(report.error, Catch::Contains("seccomp"));
    }
    SECTION("a crash names its signal") {
        end.signal = SIGSEGV;
        CHECK_THAT(classify_child_end(end, limits).error, Catch::Contains("11"));
    }
    SECTION("setup failure is the sandbox's fault, not the job's") {
        end.exited = true;
        end.exit_code = kSetupFailedExitCode;
        CHECK(classify_child_end(end, limits).kind == OutcomeKind::sandbox_error);
    }
    SECTION("an exit without a report is a crash") {
        end.exited = true;
        end.exit_code = 1;
        CHECK(classify_child_end(end, limits).kind == OutcomeKind::killed);
    }
}

TEST_CASE("sandbox outcome kinds print and parse", "[sandbox]") {
    for (auto kind : {OutcomeKind::ok, OutcomeKind::error, OutcomeKind::timeout,
                      OutcomeKind::memory_limit, OutcomeKind::output_limit, OutcomeKind::killed,
                      OutcomeKind::sandbox_error})
        CHECK(outcome_kind_from_string(to_string(kind)) == kind);
    CHECK_FALSE(outcome_kind_from_string("fine"));
}

TEST_CASE("sandbox outcome JSON escapes quotes and control characters", "[sandbox]") {
    SandboxOutcome outcome;
    outcome.kind = OutcomeKind::ok;
    outcome.result = "say \"hi\"\\\n\x01";
    outcome.elapsed_ms = 1.5;
    CHECK(to_json(outcome) ==
          R"({"kind":"ok","result":"say \"hi\"\\\n\u0001","error":"","output":"","elapsed_ms":1.5})");
}

TEST_CASE("sandbox limits are validated", "[sandbox]") {
    CHECK_FALSE(validate_limits(SandboxLimits{}));
    SandboxLimits bad;
    bad.cpu_timeout_s = 0;
    CHECK(validate_limits(bad));
    bad = SandboxLimits{};
    bad.memory_bytes = 1000;
    CHECK(validate_limits(bad));
}
