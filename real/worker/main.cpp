// archlab-worker: the seed's worker node in C++. Wires the worker loop to SQS
// and DynamoDB (job_backends.hpp) and to the sandbox, one loop per sandbox slot.
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "call_timings.hpp"
#include "call_trace.hpp"
#include "job_backends.hpp"
#include "worker_config.hpp"
#include "worker_loop.hpp"

namespace {

std::atomic<bool> g_stop{false};
static_assert(std::atomic<bool>::is_always_lock_free, "set from a signal handler");

extern "C" void on_stop_signal(int) { g_stop.store(true); }

void install_stop_handlers() {
    struct sigaction action {};
    action.sa_handler = on_stop_signal;
    sigemptyset(&action.sa_mask);
    ::sigaction(SIGTERM, &action, nullptr);
    ::sigaction(SIGINT, &action, nullptr);
}

std::int64_t unix_now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// "job.latency": submission to result written, as the simulator counts a job's latency
// (the table's finished_at_ms is the run's end, before the write). submitted_at_ms is a
// whole millisecond, cut off: on average the submission came half a millisecond later.
void record_job_latency(const archlab::real::JobRecord& job) {
    const double now_ms = std::chrono::duration<double, std::milli>(
                              std::chrono::system_clock::now().time_since_epoch()).count();
    const double latency_s = (now_ms - (static_cast<double>(job.submitted_at_ms) + 0.5)) / 1000.0;
    if (job.submitted_at_ms > 0 && latency_s >= 0)
        archlab::real::process_call_timings().record("job.latency", latency_s);
}

// "worker.job": a job's way from the queue to its result, in one piece: from the start of its
// delivery ("sqs.delivery": the later of its send's start and this receive's start) to its result
// written (job.latency is recorded just after the write), so the delivery, GetItem, run, UpdateItem
// and the work between them as one job lived them. A slow spell of the machine (the emulators are
// Node processes sharing two cores with everything else) makes several of them slow at once;
// drawn whole, a model keeps that, drawn call by call it does not (real/local/trace_report.py).
void record_worker_job(const std::vector<archlab::real::TracedCall>& calls) {
    using archlab::real::CallEdge;
    if (const auto seconds = archlab::real::seconds_between(calls, "sqs.delivery", CallEdge::start, "job.latency", CallEdge::end))
        archlab::real::process_call_timings().record("worker.job", *seconds);
}

}  // namespace

int main(int argc, char** argv) {
    using namespace archlab::real;
    const auto parsed = parse_worker_config(
        std::vector<std::string>(argv + 1, argv + argc),
        [](const std::string& name) -> std::optional<std::string> {
            const char* value = std::getenv(name.c_str());
            return value ? std::optional<std::string>(value) : std::nullopt;
        });
    if (const auto* problem = std::get_if<std::string>(&parsed)) {
        std::cerr << "archlab-worker: " << *problem << "\n" << worker_usage();
        return 2;
    }
    const WorkerConfig& config = std::get<WorkerConfig>(parsed);
    if (config.show_help) {
        std::cout << worker_usage();
        return 0;
    }
    install_stop_handlers();

    std::mutex log_mutex;
    const auto log = [&](const std::string& line) {
        std::lock_guard lock(log_mutex);
        std::cerr << "archlab-worker: " << line << "\n";
    };
    const JobBackendConfig backend{config.queue_url, config.table_name, std::nullopt};
    log("started: " + std::to_string(config.concurrency) + " sandbox(es), queue " + config.queue_url +
        ", table " + config.table_name);

    // Declared before the slots: destroyed after they stop, so its last snapshot has every job.
    std::optional<TimingsFileWriter> timings;
    if (!config.timings_file.empty()) timings.emplace(config.timings_file, "worker");
    std::optional<TraceFile> traces;
    if (!config.trace_file.empty()) traces.emplace(config.trace_file);

    std::vector<std::thread> slots;
    std::atomic<int> failed_slots{0};
    for (int slot = 0; slot < config.concurrency; ++slot) {
        slots.emplace_back([&, slot] {
            try {
                auto queue = make_sqs_job_queue(backend);
                auto table = make_dynamodb_job_table(backend);
                WorkerDeps deps{*queue, *table,
                                [&](const std::string& code, const std::function<void()>& on_tick) {
                                    // fork, run, collect; waiting, not the worker's own work
                                    const ScopedCallTimer timer("worker.run", /*counts_as_waiting=*/true);
                                    return run_javascript(code, config.limits, on_tick);
                                },
                                unix_now_ms,
                                [](std::int64_t ms) {
                                    // Short naps so a stop signal is seen during a back-off.
                                    for (std::int64_t waited = 0; waited < ms && !g_stop.load(); waited += 100)
                                        std::this_thread::sleep_for(std::chrono::milliseconds(100));
                                },
                                log,
                                record_job_latency};
                deps.on_message_traced = [&](const QueuedJob& message, const std::vector<TracedCall>& calls) {
                    record_worker_job(calls);
                    if (!traces) return;
                    auto line = trace_line(message.execution_id, calls);
                    line["slot"] = std::to_string(::getpid()) + "." + std::to_string(slot);
                    line["receive_count"] = message.receive_count;
                    traces->write(line);
                };
                const LoopStats stats = run_worker_loop(deps, config.settings, g_stop);
                log("slot " + std::to_string(slot) + " stopped: " + std::to_string(stats.finished) +
                    " jobs finished, " + std::to_string(stats.left_for_redelivery) +
                    " left for redelivery, " + std::to_string(stats.receive_errors) + " receive errors");
            } catch (const std::exception& error) {
                log("slot " + std::to_string(slot) + " cannot start: " + error.what());
                ++failed_slots;
                g_stop.store(true);
            }
        });
    }
    for (auto& slot : slots) slot.join();
    return failed_slots.load() == 0 ? 0 : 1;
}
