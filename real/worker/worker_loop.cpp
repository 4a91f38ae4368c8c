#include "worker_loop.hpp"

#include <algorithm>
#include <chrono>
#include <exception>

#include "call_timings.hpp"
#include "call_trace.hpp"

namespace archlab::real {

std::string to_string(MessageResult result) {
    switch (result) {
        case MessageResult::deleted_missing: return "deleted_missing";
        case MessageResult::deleted_finished: return "deleted_finished";
        case MessageResult::gave_up: return "gave_up";
        case MessageResult::finished: return "finished";
        case MessageResult::lost_race: return "lost_race";
        case MessageResult::left_for_redelivery: return "left_for_redelivery";
    }
    return "unknown";
}

namespace {

MessageResult run_and_finish(const QueuedJob& message, const JobRecord& job,
                             std::int64_t received_at_ms, WorkerDeps& deps,
                             const WorkerSettings& settings) {
    const HeartbeatPlan plan = plan_heartbeat(settings.wall_timeout_s,
                                              settings.visibility_timeout_s,
                                              settings.write_margin_s);
    std::int64_t last_extended_ms = received_at_ms;
    const auto on_tick = [&] {
        if (!heartbeat_due(plan, last_extended_ms, deps.now_ms())) return;
        try {
            deps.queue.extend_visibility(message.receipt_handle, plan.extend_to_s);
        } catch (const std::exception& error) {
            // Keep running: if the message does reappear, the pending-only
            // write still lets just one result in.
            deps.log("job " + job.execution_id + ": extending visibility failed: " + error.what());
        }
        last_extended_ms = deps.now_ms();
    };
    const std::int64_t started_at_ms = deps.now_ms();
    const SandboxOutcome outcome = deps.run_job(job.code, on_tick);
    const std::int64_t finished_at_ms = deps.now_ms();
    const auto finish = finish_for_outcome(outcome);
    if (!finish) {
        deps.log("job " + job.execution_id + ": sandbox could not start (" + outcome.error +
                 "), left for redelivery");
        return MessageResult::left_for_redelivery;
    }
    const bool wrote = deps.table.finish_if_pending(job.execution_id, finish->status,
                                                    finish->result, started_at_ms, finished_at_ms);
    if (wrote && deps.on_result_written) deps.on_result_written(job);
    // Only now: a crash before this line leaves the message to be redelivered.
    deps.queue.remove(message.receipt_handle);
    deps.log("job " + job.execution_id + ": " + to_string(outcome.kind) + " in " +
             std::to_string(finished_at_ms - started_at_ms) + " ms" +
             (wrote ? "" : " (another worker had already written its result)"));
    return wrote ? MessageResult::finished : MessageResult::lost_race;
}

}  // namespace

MessageResult process_message(const QueuedJob& message, std::int64_t received_at_ms,
                              WorkerDeps& deps, const WorkerSettings& settings) {
    const std::string& id = message.execution_id;
    try {
        const std::optional<JobRecord> job = deps.table.get(id);
        switch (decide_on_delivery(job, message.receive_count, settings.max_attempts)) {
            case DeliveryAction::delete_missing:
                deps.log("job " + id + ": not in the table, message deleted");
                deps.queue.remove(message.receipt_handle);
                return MessageResult::deleted_missing;
            case DeliveryAction::delete_finished:
                deps.queue.remove(message.receipt_handle);
                return MessageResult::deleted_finished;
            case DeliveryAction::give_up: {
                const std::int64_t now_ms = deps.now_ms();
                deps.table.finish_if_pending(id, JobStatus::failed,
                                             give_up_text(message.receive_count), now_ms, now_ms);
                deps.queue.remove(message.receipt_handle);
                deps.log("job " + id + ": " + give_up_text(message.receive_count));
                return MessageResult::gave_up;
            }
            case DeliveryAction::run: break;
        }
        return run_and_finish(message, *job, received_at_ms, deps, settings);
    } catch (const std::exception& error) {
        // JobBackendError or worse: the message reappears after its visibility
        // timeout; the queue's redrive policy ends a message that never succeeds.
        deps.log("job " + id + ": " + error.what() + "; left for redelivery");
        return MessageResult::left_for_redelivery;
    }
}

LoopStats run_worker_loop(WorkerDeps& deps, const WorkerSettings& settings,
                          const std::atomic<bool>& stop) {
    LoopStats stats;
    int consecutive_failures = 0;
    while (!stop.load()) {
        const CallTrace trace;  // the receive, then the message's own calls
        std::vector<QueuedJob> messages;
        try {
            // One at a time: a batch would sit invisible behind the running job.
            messages = deps.queue.receive(1, settings.wait_time_s);
            consecutive_failures = 0;
        } catch (const std::exception& error) {
            ++stats.receive_errors;
            ++consecutive_failures;
            deps.log(std::string("receive failed: ") + error.what());
            deps.sleep_ms(receive_backoff_ms(consecutive_failures));
            continue;
        }
        const std::int64_t received_at_ms = deps.now_ms();
        for (const QueuedJob& message : messages) {
            ++stats.messages;
            if (stop.load()) {
                try {
                    deps.queue.extend_visibility(message.receipt_handle, 0);
                    ++stats.released_at_shutdown;
                } catch (const std::exception&) {
                    // It reappears after its visibility timeout anyway.
                }
                continue;
            }
            // "worker.own": the message's time outside its timed calls and run (parsing, the
            // decisions, the log line, waiting for a processor on a busy machine).
            const double waiting_before_s = thread_waiting_seconds();
            const auto started = std::chrono::steady_clock::now();
            const MessageResult result = process_message(message, received_at_ms, deps, settings);
            const double took_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
            process_call_timings().record("worker.own",
                                          std::max(0.0, took_s - (thread_waiting_seconds() - waiting_before_s)));
            if (deps.on_message_traced) deps.on_message_traced(message, trace.calls());
            if (result == MessageResult::finished) ++stats.finished;
            if (result == MessageResult::left_for_redelivery) ++stats.left_for_redelivery;
        }
    }
    return stats;
}

}  // namespace archlab::real
