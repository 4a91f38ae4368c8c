// The worker's decisions as pure functions: what to do with a delivery, what a
// sandbox outcome writes to the table, when to extend a message's visibility,
// how long to back off after a failed receive.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "job_ports.hpp"
#include "sandbox.hpp"

namespace archlab::real {

enum class DeliveryAction {
    delete_missing,   // no such job: nothing will ever answer this message
    delete_finished,  // redelivery of a job that already has its result
    give_up,          // still pending after max_attempts deliveries: earlier workers died on it
    run,
};

DeliveryAction decide_on_delivery(const std::optional<JobRecord>& job, int receive_count,
                                  int max_attempts);

struct JobFinish {
    JobStatus status = JobStatus::failed;
    std::string result;
};

// nullopt when the sandbox itself failed to start: not the job's fault, so the
// message is left for another try instead of failing the job.
std::optional<JobFinish> finish_for_outcome(const SandboxOutcome& outcome);
std::string give_up_text(int receive_count);

// A message stays invisible for the queue's visibility timeout from receipt.
// If a job may run longer than that (plus time to write and delete), another
// worker would receive it meanwhile, so the worker extends it while it runs.
struct HeartbeatPlan {
    bool needed = false;
    double interval_s = 0;  // between extensions, counted from receipt
    int extend_to_s = 0;    // each extension makes it invisible this long from now
};

HeartbeatPlan plan_heartbeat(double wall_timeout_s, int visibility_timeout_s,
                             double write_margin_s);
bool heartbeat_due(const HeartbeatPlan& plan, std::int64_t last_extended_ms, std::int64_t now_ms);

// After consecutive failed receives: 0.5 s, 1 s, 2 s, ... capped at 30 s, so a
// fleet does not hammer a struggling backend.
std::int64_t receive_backoff_ms(int consecutive_failures);

}  // namespace archlab::real
