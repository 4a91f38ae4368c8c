// Runs real scripts through the forked, filtered child. Time bounds are loose
// on purpose (slow shared machines); the kind of outcome is what is checked.
#include <catch2/catch.hpp>

#include <dirent.h>
#include <sys/wait.h>

#include <cerrno>

#include "sandbox.hpp"

using namespace archlab::real;

namespace {

SandboxLimits test_limits() {
    SandboxLimits limits;
    limits.cpu_timeout_s = 1.0;
    limits.wall_timeout_s = 2.0;
    limits.memory_bytes = 32u << 20;
    limits.output_bytes = 4096;
    return limits;
}

SandboxOutcome run(const std::string& code) { return run_javascript(code, test_limits()); }

int open_fd_count() {
    int count = 0;
    if (DIR* dir = ::opendir("/proc/self/fd")) {
        while (::readdir(dir)) ++count;
        ::closedir(dir);
    }
    return count;
}

}  // namespace

TEST_CASE("sandbox returns the last expression and console.log lines", "[sandbox]") {
    const auto outcome = run("console.log('hi', 1 + 2); [1,2,3].map(function (x) { return x * x; })");
    CHECK(outcome.kind == OutcomeKind::ok);
    CHECK(outcome.result == "1,4,9");
    CHECK(outcome.output == "hi 3\n");
    CHECK(outcome.elapsed_ms < 10000);
}

TEST_CASE("sandbox says so when the code has no value, like the seed", "[sandbox]") {
    CHECK(run("var x = 1;").result == "Code did not return any output");
    CHECK(run("null").result == "Code did not return any output");
}

TEST_CASE("sandbox keeps Date, Math, JSON and RegExp working under the filter", "[sandbox]") {
    const auto outcome = run(
        "new Date(0).toISOString() + ' ' + (Math.random() < 1) + ' ' + JSON.stringify({a: [1]})"
        " + ' ' + /a(b+)/.exec('abbb')[1] + ' ' + new Date().getTimezoneOffset()");
    CHECK(outcome.kind == OutcomeKind::ok);
    CHECK(outcome.result == "1970-01-01T00:00:00.000Z true {\"a\":[1]} bbb 0");
}

TEST_CASE("sandbox reports syntax errors and thrown errors", "[sandbox]") {
    const auto syntax = run("var x = ;");
    CHECK(syntax.kind == OutcomeKind::error);
    CHECK_THAT(syntax.error, Catch::Contains("SyntaxError"));
    const auto thrown = run("console.log('before'); throw new TypeError('boom')");
    CHECK(thrown.kind == OutcomeKind::error);
    CHECK(thrown.error == "TypeError: boom");
    CHECK(thrown.output == "before\n");
}

TEST_CASE("sandbox fails a job whose value cannot become text", "[sandbox]") {
    const auto outcome = run("({ toString: function () { throw new Error('no text'); } })");
    CHECK(outcome.kind == OutcomeKind::error);
    CHECK(outcome.error == "Error: no text");
}

TEST_CASE("sandbox is ES5: modern syntax is a syntax error, not a crash", "[sandbox]") {
    CHECK(run("[1].map(x => x)").kind == OutcomeKind::error);
}

TEST_CASE("sandbox stops an endless loop at its CPU timeout", "[sandbox]") {
    for (const char* code : {"while (true) {}", "try { while (true) {} } catch (e) { while (true) {} }",
                             "[1,2,3].sort(function () { while (true) {} })"}) {
        const auto outcome = run(code);
        CHECK(outcome.kind == OutcomeKind::timeout);
        CHECK(outcome.elapsed_ms < 10000);
    }
}

TEST_CASE("sandbox stops memory bombs", "[sandbox]") {
    for (const char* code : {"var s = 'x'; while (true) s = s + s;",
                             "var a = []; for (;;) a.push(new Array(1 << 20));",
                             "new ArrayBuffer(1024 * 1024 * 1024)"}) {
        const auto outcome = run(code);
        CHECK(outcome.kind == OutcomeKind::memory_limit);
        CHECK(outcome.elapsed_ms < 10000);
    }
}

TEST_CASE("sandbox's wall clock kills a native builtin that never checks the timeout", "[sandbox]") {
    // join() of a huge array runs in C without interrupt checks; only SIGKILL ends it.
    const auto outcome = run("var a = []; for (;;) a.push(new Array(1 << 20).join('y'));");
    CHECK((outcome.kind == OutcomeKind::timeout || outcome.kind == OutcomeKind::memory_limit));
    CHECK(outcome.elapsed_ms < 10000);
}

TEST_CASE("sandbox's wall clock kills a catastrophic regular expression", "[sandbox]") {
    const auto outcome = run("/(a+)+$/.test('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!')");
    CHECK(outcome.kind == OutcomeKind::timeout);
    CHECK(outcome.elapsed_ms < 10000);
}

TEST_CASE("sandbox caps console output and an oversized result", "[sandbox]") {
    const auto flood = run("for (;;) console.log('flood flood flood');");
    CHECK(flood.kind == OutcomeKind::output_limit);
    CHECK(flood.output.size() == test_limits().output_bytes);
    const auto caught = run("for (;;) { try { console.log('x'); } catch (e) {} }");
    CHECK((caught.kind == OutcomeKind::output_limit || caught.kind == OutcomeKind::timeout));
    CHECK(caught.output.size() <= test_limits().output_bytes);
    const auto big = run("new Array(100000).join('z')");
    CHECK(big.kind == OutcomeKind::output_limit);
    CHECK(big.result.empty());
}

TEST_CASE("sandbox code has no way to files, network or processes", "[sandbox]") {
    for (const char* code : {"require('fs')", "process.exit(1)", "new XMLHttpRequest()",
                             "import('fs')", "Duktape.gc()"})
        CHECK(run(code).kind == OutcomeKind::error);
    CHECK(run("typeof Duktape + typeof require + typeof print").result ==
          "undefinedundefinedundefined");
}

TEST_CASE("sandbox calls on_tick while a long job runs", "[sandbox]") {
    int ticks = 0;
    auto limits = test_limits();
    const auto outcome =
        run_javascript("while (true) {}", limits, [&] { ++ticks; }, 0.1);
    CHECK(outcome.kind == OutcomeKind::timeout);
    CHECK(ticks >= 3);
}

TEST_CASE("sandbox leaves no zombies and no open descriptors after many runs", "[sandbox]") {
    const int fds_before = open_fd_count();
    for (int i = 0; i < 30; ++i) run(i % 3 == 0 ? "while (true) {}" : "1 + 1");
    CHECK(open_fd_count() == fds_before);
    errno = 0;
    CHECK(::waitpid(-1, nullptr, WNOHANG) == -1);  // no child left, dead or alive
    CHECK(errno == ECHILD);
}
