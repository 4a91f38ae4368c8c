#include <catch2/catch.hpp>

#include "worker_decisions.hpp"

using namespace archlab::real;

namespace {
JobRecord job_with(JobStatus status) {
    JobRecord job;
    job.execution_id = "id";
    job.status = status;
    return job;
}
}  // namespace

TEST_CASE("worker decides what a delivery needs", "[worker]") {
    CHECK(decide_on_delivery(std::nullopt, 1, 3) == DeliveryAction::delete_missing);
    CHECK(decide_on_delivery(job_with(JobStatus::executed), 1, 3) == DeliveryAction::delete_finished);
    CHECK(decide_on_delivery(job_with(JobStatus::failed), 5, 3) == DeliveryAction::delete_finished);
    CHECK(decide_on_delivery(job_with(JobStatus::pending), 1, 3) == DeliveryAction::run);
    CHECK(decide_on_delivery(job_with(JobStatus::pending), 3, 3) == DeliveryAction::run);
    CHECK(decide_on_delivery(job_with(JobStatus::pending), 4, 3) == DeliveryAction::give_up);
}

TEST_CASE("worker maps sandbox outcomes to job results", "[worker]") {
    SandboxOutcome outcome;
    outcome.kind = OutcomeKind::ok;
    outcome.result = "Code did not return any output";
    auto finish = finish_for_outcome(outcome);
    REQUIRE(finish);
    CHECK(finish->status == JobStatus::executed);
    CHECK(finish->result == "Code did not return any output");

    outcome.kind = OutcomeKind::memory_limit;
    outcome.error = "Error: alloc failed";
    finish = finish_for_outcome(outcome);
    REQUIRE(finish);
    CHECK(finish->status == JobStatus::failed);
    CHECK(finish->result == "memory_limit: Error: alloc failed");

    outcome.kind = OutcomeKind::sandbox_error;
    CHECK_FALSE(finish_for_outcome(outcome));
}

TEST_CASE("worker heartbeat only when a job can outlast the visibility timeout", "[worker]") {
    CHECK_FALSE(plan_heartbeat(3.0, 30, 10.0).needed);
    const auto plan = plan_heartbeat(3.0, 10, 10.0);  // 3 s + 10 s margin > 10 s
    CHECK(plan.needed);
    CHECK(plan.interval_s == 5.0);
    CHECK(plan.extend_to_s == 10);
    CHECK(plan_heartbeat(120.0, 30, 10.0).needed);
    CHECK_FALSE(plan_heartbeat(120.0, 0, 10.0).needed);
}

TEST_CASE("worker heartbeat is due half a window after the last extension", "[worker]") {
    const auto plan = plan_heartbeat(60.0, 10, 10.0);
    CHECK_FALSE(heartbeat_due(plan, 1000, 5999));
    CHECK(heartbeat_due(plan, 1000, 6000));
    CHECK_FALSE(heartbeat_due(plan_heartbeat(1.0, 30, 10.0), 0, 1'000'000));
}

TEST_CASE("worker backs off exponentially after failed receives, up to 30 s", "[worker]") {
    CHECK(receive_backoff_ms(0) == 0);
    CHECK(receive_backoff_ms(1) == 500);
    CHECK(receive_backoff_ms(2) == 1000);
    CHECK(receive_backoff_ms(7) == 30000);
    CHECK(receive_backoff_ms(1000) == 30000);
}
