// The worker's loop over the JobQueue/JobTable ports, the seed's
// receive -> get code -> run -> update item -> delete message, made safe for
// at-least-once delivery: the result is written with a pending-only condition
// and the message is deleted only after that write.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>

#include "call_trace.hpp"
#include "job_ports.hpp"
#include "sandbox.hpp"
#include "worker_decisions.hpp"

namespace archlab::real {

// Runs one job's code; calls on_tick now and then while it runs (run_javascript fits).
using JobRunner =
    std::function<SandboxOutcome(const std::string& code, const std::function<void()>& on_tick)>;

struct WorkerDeps {
    JobQueue& queue;
    JobTable& table;
    JobRunner run_job;
    std::function<std::int64_t()> now_ms;                 // Unix milliseconds
    std::function<void(std::int64_t ms)> sleep_ms;        // back-off after receive errors
    std::function<void(const std::string& line)> log;
    // After this worker's result write went in (optional): the job as it was read, for
    // timing its submission-to-result-written latency.
    std::function<void(const JobRecord& job)> on_result_written = {};
    // After each message (optional): every call timed for it, from its receive on (call_trace.hpp).
    std::function<void(const QueuedJob& message, const std::vector<TracedCall>& calls)> on_message_traced = {};
};

struct WorkerSettings {
    int wait_time_s = 20;            // long poll
    int visibility_timeout_s = 30;   // the queue's, as configured on it
    double wall_timeout_s = 3.0;     // the sandbox's longest run
    int max_attempts = 3;            // deliveries of a pending job before it is failed
    double write_margin_s = 10.0;    // time after the run for the write and the delete
};

enum class MessageResult {
    deleted_missing,
    deleted_finished,  // redelivery: no second run
    gave_up,
    finished,          // ran, wrote the result, deleted
    lost_race,         // ran, but another worker had written first; deleted
    left_for_redelivery,
};
std::string to_string(MessageResult result);

MessageResult process_message(const QueuedJob& message, std::int64_t received_at_ms,
                              WorkerDeps& deps, const WorkerSettings& settings);

struct LoopStats {
    int messages = 0;
    int finished = 0;
    int left_for_redelivery = 0;
    int released_at_shutdown = 0;
    int receive_errors = 0;
};

// Until stop is set: receive one message, process it, repeat. A message that
// arrives after stop was set is released (visibility 0) for another worker.
LoopStats run_worker_loop(WorkerDeps& deps, const WorkerSettings& settings,
                          const std::atomic<bool>& stop);

}  // namespace archlab::real
