// Proves the layers under Duktape on their own: programs that make forbidden
// system calls directly, after the filter is in, must be killed; the rlimits
// must be in force when the program is prepared.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <memory>

#include "child_guard.hpp"

using namespace archlab::real;
using namespace archlab::real::sandbox_detail;

namespace {

SandboxOutcome run_program(std::function<ChildReport()> body, std::function<void()> prepare = {}) {
    SandboxLimits limits;
    limits.wall_timeout_s = 5.0;
    return run_in_child(ChildProgram{std::move(prepare), std::move(body)}, limits, {}, 1.0);
}

ChildReport said(const std::string& text) { return ChildReport{OutcomeKind::ok, text, "", ""}; }

}  // namespace

TEST_CASE("seccomp lets a computing program report", "[sandbox]") {
    const auto outcome = run_program([] {
        std::string text;
        for (int i = 0; i < 1000; ++i) text += std::to_string(i);
        return said(std::to_string(text.size()));
    });
    CHECK(outcome.kind == OutcomeKind::ok);
    CHECK(outcome.result == "2890");
}

TEST_CASE("seccomp kills a direct open()", "[sandbox]") {
    const auto outcome = run_program([] {
        const int fd = ::open("/etc/hostname", O_RDONLY);
        return said("open returned " + std::to_string(fd));
    });
    CHECK(outcome.kind == OutcomeKind::killed);
    CHECK_THAT(outcome.error, Catch::Contains("seccomp"));
}

TEST_CASE("seccomp kills a direct socket()", "[sandbox]") {
    const auto outcome = run_program([] {
        const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
        return said("socket returned " + std::to_string(fd));
    });
    CHECK(outcome.kind == OutcomeKind::killed);
    CHECK_THAT(outcome.error, Catch::Contains("seccomp"));
}

TEST_CASE("seccomp kills a direct fork() and execve()", "[sandbox]") {
    const auto forked = run_program([] { return said("fork returned " + std::to_string(::fork())); });
    CHECK(forked.kind == OutcomeKind::killed);
    const auto execed = run_program([] {
        char* argv[] = {const_cast<char*>("/bin/true"), nullptr};
        ::execv("/bin/true", argv);
        return said("execv returned");
    });
    CHECK(execed.kind == OutcomeKind::killed);
}

TEST_CASE("sandbox rlimits are in force before the program runs", "[sandbox]") {
    auto seen = std::make_shared<std::string>();
    const auto outcome = run_program([seen] { return said(*seen); },
                                     [seen] {
                                         for (int resource : {RLIMIT_FSIZE, RLIMIT_NPROC, RLIMIT_CORE,
                                                              RLIMIT_NOFILE, RLIMIT_CPU}) {
                                             rlimit limit{};
                                             ::getrlimit(resource, &limit);
                                             *seen += std::to_string(limit.rlim_cur) + " ";
                                         }
                                     });
    CHECK(outcome.kind == OutcomeKind::ok);
    CHECK(outcome.result == "0 0 0 4 3 ");
}

TEST_CASE("sandbox child sees none of the parent's descriptors", "[sandbox]") {
    // Not CLOEXEC and above the report pipe's fd 3, as a careless caller's socket might be.
    const int null_fd = ::open("/dev/null", O_RDONLY);
    const int probe = ::fcntl(null_fd, F_DUPFD, 40);
    ::close(null_fd);
    auto seen = std::make_shared<std::string>();
    const auto outcome = run_program([seen] { return said(*seen); },
                                     [seen, probe] {
                                         *seen = ::fcntl(probe, F_GETFD) == -1 ? "closed" : "open";
                                     });
    ::close(probe);
    CHECK(outcome.result == "closed");
}
