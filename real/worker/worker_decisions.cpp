#include "worker_decisions.hpp"

#include <algorithm>
#include <cmath>

namespace archlab::real {

DeliveryAction decide_on_delivery(const std::optional<JobRecord>& job, int receive_count,
                                  int max_attempts) {
    if (!job) return DeliveryAction::delete_missing;
    if (job->status != JobStatus::pending) return DeliveryAction::delete_finished;
    if (receive_count > max_attempts) return DeliveryAction::give_up;
    return DeliveryAction::run;
}

std::optional<JobFinish> finish_for_outcome(const SandboxOutcome& outcome) {
    switch (outcome.kind) {
        case OutcomeKind::ok: return JobFinish{JobStatus::executed, outcome.result};
        case OutcomeKind::sandbox_error: return std::nullopt;
        default: return JobFinish{JobStatus::failed, to_string(outcome.kind) + ": " + outcome.error};
    }
}

std::string give_up_text(int receive_count) {
    return "gave up after " + std::to_string(receive_count) +
           " deliveries: the workers running this job stopped before writing a result";
}

HeartbeatPlan plan_heartbeat(double wall_timeout_s, int visibility_timeout_s,
                             double write_margin_s) {
    HeartbeatPlan plan;
    if (visibility_timeout_s <= 0) return plan;
    if (wall_timeout_s + write_margin_s < visibility_timeout_s) return plan;
    // Half the window between extensions leaves the other half for a slow
    // extend call or a worker thread that is late to tick.
    plan.needed = true;
    plan.interval_s = visibility_timeout_s / 2.0;
    plan.extend_to_s = visibility_timeout_s;
    return plan;
}

bool heartbeat_due(const HeartbeatPlan& plan, std::int64_t last_extended_ms, std::int64_t now_ms) {
    return plan.needed &&
           static_cast<double>(now_ms - last_extended_ms) >= plan.interval_s * 1000.0;
}

std::int64_t receive_backoff_ms(int consecutive_failures) {
    if (consecutive_failures <= 0) return 0;
    const int doublings = std::min(consecutive_failures - 1, 16);
    return std::min<std::int64_t>(std::int64_t{500} << doublings, 30000);
}

}  // namespace archlab::real
