// archlab-api: the seed's primary backend (express API) in C++. Wires ApiService
// to SQS and DynamoDB (job_backends.hpp), or to in-memory ports with
// --fake-backends, and serves it with archlab_real_http.
//
// SIGTERM/SIGINT: /health turns 503 so the load balancer takes this instance
// out, after drain_delay_s the listener closes and requests in flight finish
// (bounded by drain_timeout_s), exit 0. A second signal skips the delay.
#include <signal.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <memory>

#include "api_config.hpp"
#include "call_timings.hpp"
#include "call_trace.hpp"
#include "api_service.hpp"
#include "http_server.hpp"
#include "in_memory_ports.hpp"
#include "job_backends.hpp"

namespace {
using namespace archlab::real;

std::optional<std::string> real_getenv(const std::string& name) {
    const char* value = std::getenv(name.c_str());
    return value ? std::optional<std::string>(value) : std::nullopt;
}

// Waits up to `seconds` for one of `signals`; true when one arrived.
bool wait_signal_for(const sigset_t& signals, double seconds) {
    timespec timeout{};
    timeout.tv_sec = static_cast<time_t>(seconds);
    timeout.tv_nsec = static_cast<long>((seconds - std::floor(seconds)) * 1e9);
    for (;;) {
        if (::sigtimedwait(&signals, nullptr, &timeout) > 0) return true;
        if (errno != EINTR) return false;  // EAGAIN: the time is up
    }
}
}  // namespace

int main(int argc, char** argv) {
    const auto parsed = api::parse_api_config(std::vector<std::string>(argv + 1, argv + argc), real_getenv);
    if (const auto* problem = std::get_if<std::string>(&parsed)) {
        std::fprintf(stderr, "archlab-api: %s\n%s", problem->c_str(), api::api_usage().c_str());
        return 2;
    }
    const api::ApiConfig& config = std::get<api::ApiConfig>(parsed);
    if (config.show_help) {
        std::fputs(api::api_usage().c_str(), stdout);
        return 0;
    }

    // Blocked before any thread exists, so every thread inherits the mask and
    // only sigwait below sees the signals (no async-signal-safety concerns).
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    std::unique_ptr<JobTable> table;
    std::unique_ptr<JobQueue> queue;
    try {
        if (config.fake_backends) {
            table = std::make_unique<api::InMemoryJobTable>();
            queue = std::make_unique<api::InMemoryJobQueue>();
        } else {
            const JobBackendConfig backend{config.queue_url, config.table_name, config.message_group};
            queue = make_sqs_job_queue(backend);
            table = make_dynamodb_job_table(backend);
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "archlab-api: cannot set up the backends: %s\n", e.what());
        return 2;
    }

    std::optional<TimingsFileWriter> timings;
    if (!config.timings_file.empty()) timings.emplace(config.timings_file, "api");
    std::optional<TraceFile> traces;
    if (!config.trace_file.empty()) traces.emplace(config.trace_file);
    api::ApiService service(*table, *queue, config.api);
    http::Server server(config.server, [&service, &traces](const http::Request& request) {
        // A request runs on one io thread from start to answer, so the thread's waiting
        // clock (its AWS calls) tells this request's own work (parsing, JSON, routing) apart.
        const CallTrace trace;
        const double aws_before_s = thread_waiting_seconds();
        const auto started = std::chrono::steady_clock::now();
        auto response = service.handle(request);
        // The load balancer's health checks are not the jobs' requests the model's API serves.
        if (request.path == "/health") return response;
        const double total_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        process_call_timings().record("api.request", total_s);
        process_call_timings().record("api.own", std::max(0.0, total_s - (thread_waiting_seconds() - aws_before_s)));
        // Each kind of request in one piece, so a model can draw it whole (slowness that hits the
        // own work and the calls of one request at once stays together): a submission up to its
        // SendMessage's start (the job is in the queue from there), a status read to its answer.
        if (request.path == "/submit-code") {
            if (const auto seconds = seconds_between(trace.calls(), "api.request", CallEdge::start, "sqs.SendMessage", CallEdge::start))
                process_call_timings().record("api.submit", *seconds);
        } else if (request.path.rfind("/check-status/", 0) == 0) {
            process_call_timings().record("api.status", total_s);
        }
        if (traces && request.path == "/submit-code" && response.status / 100 == 2) {
            // Keyed by the job, as the worker's lines are, so a job's two halves can be joined.
            const auto body = nlohmann::json::parse(response.body, nullptr, /*allow_exceptions=*/false);
            if (body.is_object() && body.contains("executionId") && body["executionId"].is_string())
                traces->write(trace_line(body["executionId"].get<std::string>(), trace.calls()));
        }
        return response;
    });
    try {
        server.start();
    } catch (const std::exception& e) {
        std::fprintf(stderr, "archlab-api: %s\n", e.what());
        return 1;
    }
    // One parseable line on stdout (scripts read the port when they pass --port 0).
    std::printf("archlab-api listening on http://%s:%u (%d threads, %s%s)\n", config.server.address.c_str(),
                server.port(), config.server.threads,
                config.fake_backends ? "fake in-memory backends" : ("table " + config.table_name).c_str(),
                config.api.status_from_queue_peek ? ", status from queue peek" : "");
    std::fflush(stdout);

    int received = 0;
    while (::sigwait(&signals, &received) != 0) {
    }
    std::fprintf(stderr, "archlab-api: signal %d: /health answers 503 for %.1f s, then the listener closes\n",
                 received, config.drain_delay_s);
    service.set_draining(true);
    if (wait_signal_for(signals, config.drain_delay_s))
        std::fprintf(stderr, "archlab-api: second signal: closing now\n");
    server.stop();
    std::fprintf(stderr, "archlab-api: stopped\n");
    return 0;
}
