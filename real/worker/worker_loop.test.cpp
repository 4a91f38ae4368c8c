#include <catch2/catch.hpp>

#include "fake_ports.test.hpp"
#include "worker_loop.hpp"

using namespace archlab::real;
using archlab::real::testing::EventLog;
using archlab::real::testing::FakeQueue;
using archlab::real::testing::FakeTable;

namespace {

SandboxOutcome outcome_of(OutcomeKind kind, std::string text) {
    SandboxOutcome outcome;
    outcome.kind = kind;
    (kind == OutcomeKind::ok ? outcome.result : outcome.error) = std::move(text);
    return outcome;
}

// A worker over fakes with a clock that only moves when the fake sandbox says so.
struct Harness {
    EventLog events;
    FakeQueue queue{events};
    FakeTable table{events};
    std::int64_t clock_ms = 1'700'000'000'000;
    int runs = 0;
    std::int64_t run_ms = 40;
    SandboxOutcome next = outcome_of(OutcomeKind::ok, "3");
    std::function<void(const std::function<void()>&)> during_run;
    std::vector<std::string> logs;
    std::vector<std::int64_t> sleeps;
    WorkerSettings settings;
    WorkerDeps deps{queue, table,
                    [this](const std::string&, const std::function<void()>& on_tick) {
                        ++runs;
                        if (during_run) during_run(on_tick);
                        clock_ms += run_ms;
                        return next;
                    },
                    [this] { return clock_ms; },
                    [this](std::int64_t ms) { sleeps.push_back(ms); },
                    [this](const std::string& line) { logs.push_back(line); },
                    [this](const JobRecord& job) { written.push_back(job.execution_id); }};
    std::vector<std::string> written;  // on_result_written, in order

    void submit(const std::string& id, const std::string& code = "1+2") {
        JobRecord job;
        job.execution_id = id;
        job.code = code;
        job.submitted_at_ms = clock_ms;
        table.create(job);
        queue.send(id);
    }
    MessageResult deliver() {
        const auto messages = queue.receive(1, 0);
        REQUIRE(messages.size() == 1);
        return process_message(messages[0], clock_ms, deps, settings);
    }
};

}  // namespace

TEST_CASE("worker writes the result, then deletes the message", "[worker]") {
    Harness h;
    h.submit("job-1");
    const std::int64_t start_ms = h.clock_ms;
    CHECK(h.deliver() == MessageResult::finished);
    const JobRecord& row = h.table.rows.at("job-1");
    CHECK(row.status == JobStatus::executed);
    CHECK(row.result == "3");
    CHECK(row.started_at_ms == start_ms);
    CHECK(row.finished_at_ms == start_ms + h.run_ms);
    CHECK(h.events.events == std::vector<std::string>{"finish job-1", "remove rh-job-1-1"});
    CHECK(h.queue.waiting() == 0);
}

TEST_CASE("worker reports its own result writes only, for the job latency timing", "[worker]") {
    Harness h;
    h.submit("job-1");
    CHECK(h.deliver() == MessageResult::finished);
    CHECK(h.written == std::vector<std::string>{"job-1"});
    h.queue.send("job-1");  // a redelivery of the finished job: nothing written, nothing reported
    CHECK(h.deliver() == MessageResult::deleted_finished);
    CHECK(h.written.size() == 1);
}

TEST_CASE("worker deletes a redelivered finished job without running it again", "[worker]") {
    Harness h;
    h.submit("job-1");
    h.table.rows.at("job-1").status = JobStatus::executed;
    CHECK(h.deliver() == MessageResult::deleted_finished);
    CHECK(h.runs == 0);
    CHECK(h.queue.waiting() == 0);
}

TEST_CASE("worker crash between write and delete: the redelivery writes no second result", "[worker]") {
    Harness h;
    h.submit("job-1");
    h.queue.fail_removes = 1;  // as if the worker died right after the write
    CHECK(h.deliver() == MessageResult::left_for_redelivery);
    CHECK(h.table.rows.at("job-1").result == "3");
    h.queue.expire_in_flight();
    h.next = outcome_of(OutcomeKind::ok, "a different answer");
    CHECK(h.deliver() == MessageResult::deleted_finished);
    CHECK(h.runs == 1);
    CHECK(h.table.rows.at("job-1").result == "3");
    CHECK(h.queue.waiting() == 0);
}

TEST_CASE("worker leaves the message when the result cannot be written", "[worker]") {
    Harness h;
    h.submit("job-1");
    h.table.fail_finishes = 1;
    CHECK(h.deliver() == MessageResult::left_for_redelivery);
    CHECK(h.table.rows.at("job-1").status == JobStatus::pending);
    CHECK(h.events.events.empty());  // not deleted
    h.queue.expire_in_flight();
    CHECK(h.deliver() == MessageResult::finished);
    CHECK(h.table.rows.at("job-1").status == JobStatus::executed);
}

TEST_CASE("worker leaves the message when the job cannot be read", "[worker]") {
    Harness h;
    h.submit("job-1");
    h.table.fail_gets = 1;
    CHECK(h.deliver() == MessageResult::left_for_redelivery);
    CHECK(h.runs == 0);
    CHECK(h.queue.waiting() == 1);
}

TEST_CASE("worker deletes a message whose job does not exist, and says so", "[worker]") {
    Harness h;
    h.queue.send("ghost");
    CHECK(h.deliver() == MessageResult::deleted_missing);
    CHECK(h.queue.waiting() == 0);
    REQUIRE(h.logs.size() == 1);
    CHECK_THAT(h.logs[0], Catch::Contains("ghost"));
}

TEST_CASE("worker fails a poison job once instead of retrying it", "[worker]") {
    Harness h;
    h.submit("job-1", "crashes the sandbox");
    h.next = outcome_of(OutcomeKind::killed, "killed by signal 11 (Segmentation fault)");
    CHECK(h.deliver() == MessageResult::finished);
    CHECK(h.table.rows.at("job-1").status == JobStatus::failed);
    CHECK(h.table.rows.at("job-1").result == "killed: killed by signal 11 (Segmentation fault)");
    CHECK(h.queue.waiting() == 0);
}

TEST_CASE("worker gives up on a job that took down earlier workers", "[worker]") {
    Harness h;
    h.settings.max_attempts = 2;
    h.submit("job-1");
    for (int delivery = 1; delivery <= 2; ++delivery) {
        h.queue.receive(1, 0);  // a worker received it, then died: no write, no delete
        h.queue.expire_in_flight();
    }
    CHECK(h.deliver() == MessageResult::gave_up);
    CHECK(h.runs == 0);
    CHECK(h.table.rows.at("job-1").status == JobStatus::failed);
    CHECK_THAT(h.table.rows.at("job-1").result, Catch::Contains("3 deliveries"));
    CHECK(h.queue.waiting() == 0);
}

TEST_CASE("worker leaves the message when the sandbox cannot start", "[worker]") {
    Harness h;
    h.submit("job-1");
    h.next = outcome_of(OutcomeKind::sandbox_error, "fork failed: Resource temporarily unavailable");
    CHECK(h.deliver() == MessageResult::left_for_redelivery);
    CHECK(h.table.rows.at("job-1").status == JobStatus::pending);
    CHECK(h.queue.waiting() == 1);
}

TEST_CASE("worker extends visibility while a job outlasts the visibility timeout", "[worker]") {
    Harness h;
    h.settings.visibility_timeout_s = 10;
    h.settings.wall_timeout_s = 60;
    h.during_run = [&](const std::function<void()>& on_tick) {
        for (int second = 0; second < 60; ++second) {
            h.clock_ms += 1000;
            on_tick();
        }
    };
    h.submit("job-1");
    CHECK(h.deliver() == MessageResult::finished);
    // Every 5 s of a 60 s job, each time for the full 10 s window.
    CHECK(h.queue.extensions == std::vector<int>(12, 10));
    CHECK(h.events.events.front() == "extend rh-job-1-1 10");
    CHECK(h.events.events.back() == "remove rh-job-1-1");
}

TEST_CASE("worker does not extend when the job fits the visibility timeout", "[worker]") {
    Harness h;
    h.settings.visibility_timeout_s = 30;
    h.settings.wall_timeout_s = 3;
    h.during_run = [&](const std::function<void()>& on_tick) {
        for (int i = 0; i < 30; ++i) {
            h.clock_ms += 100;
            on_tick();
        }
    };
    h.submit("job-1");
    CHECK(h.deliver() == MessageResult::finished);
    CHECK(h.queue.extensions.empty());
}

TEST_CASE("worker loop finishes the current job after a stop, then returns", "[worker]") {
    Harness h;
    std::atomic<bool> stop{false};
    h.submit("job-1");
    h.submit("job-2");
    h.during_run = [&](const std::function<void()>&) { stop.store(true); };  // SIGTERM mid-job
    const LoopStats stats = run_worker_loop(h.deps, h.settings, stop);
    CHECK(stats.finished == 1);
    CHECK(h.table.rows.at("job-1").status == JobStatus::executed);
    CHECK(h.table.rows.at("job-2").status == JobStatus::pending);
    CHECK(h.queue.receive_calls == 1);
}

TEST_CASE("worker loop releases a message that arrives after the stop", "[worker]") {
    Harness h;
    std::atomic<bool> stop{false};
    h.submit("job-1");
    h.queue.after_receive = [&] { stop.store(true); };  // signal during the long poll
    const LoopStats stats = run_worker_loop(h.deps, h.settings, stop);
    CHECK(h.runs == 0);
    CHECK(stats.released_at_shutdown == 1);
    CHECK(h.queue.extensions == std::vector<int>{0});
}

TEST_CASE("worker loop backs off after receive errors and carries on", "[worker]") {
    Harness h;
    std::atomic<bool> stop{false};
    h.submit("job-1");
    h.queue.fail_receives = 3;
    h.during_run = [&](const std::function<void()>&) { stop.store(true); };
    const LoopStats stats = run_worker_loop(h.deps, h.settings, stop);
    CHECK(stats.receive_errors == 3);
    CHECK(h.sleeps == std::vector<std::int64_t>{500, 1000, 2000});
    CHECK(stats.finished == 1);
}

TEST_CASE("worker runs real JavaScript through the sandbox", "[worker]") {
    Harness h;
    SandboxLimits limits;
    limits.cpu_timeout_s = 0.5;
    limits.wall_timeout_s = 2.0;
    h.deps.run_job = [&](const std::string& code, const std::function<void()>& on_tick) {
        return run_javascript(code, limits, on_tick);
    };
    h.submit("good", "[1, 2, 3].map(function (x) { return x * 2; })");
    h.submit("spins", "while (true) {}");
    CHECK(h.deliver() == MessageResult::finished);
    CHECK(h.deliver() == MessageResult::finished);
    CHECK(h.table.rows.at("good").result == "2,4,6");
    CHECK(h.table.rows.at("spins").status == JobStatus::failed);
    CHECK_THAT(h.table.rows.at("spins").result, Catch::StartsWith("timeout: "));
}
