// The code runner's HTTP API (the seed's express app) over the ports of
// job_ports.hpp. Pure apart from the ports, the clock and the id generator,
// all injected, so every route and failure is tested with in-memory fakes.
//
//   POST /submit-code {"code": "..."} → 200 {"executionId","message"}
//   GET  /check-status/{id}           → 200 {"executionId","status","result",timing} | 404
//   GET  /health                      → 200 {"status":"ok"} | 503 {"status":"draining"}
//
// handle() is called concurrently from the server's io threads, so the ports
// must be thread-safe (job_backends.hpp's and in_memory_ports.hpp's are) and
// so must the clock and generator. Port calls block; see http_server.hpp.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>

#include "api_decisions.hpp"
#include "http_message.hpp"
#include "job_ports.hpp"
#include "uuid.hpp"

namespace archlab::real::api {

struct ApiOptions {
    std::size_t max_body_bytes = 64 * 1024;  // the whole POST body
    std::size_t max_code_bytes = 16 * 1024;  // the "code" string after JSON decoding
    // The seed's status check: look for the id among the next messages of the
    // queue first (receive with visibility 0) and answer pending if it is
    // there. Off by default: it costs a receive per status check and counts
    // towards the dead-letter queue's maxReceiveCount. Kept to demonstrate it.
    bool status_from_queue_peek = false;
    int peek_max_messages = 10;  // SQS's maximum per receive, as the seed asks
};

// Unix milliseconds, from the system clock.
std::int64_t system_clock_ms();

class ApiService {
public:
    using Clock = std::function<std::int64_t()>;        // Unix ms
    using IdGenerator = std::function<std::string()>;   // a new execution id (UUID v4)

    ApiService(JobTable& table, JobQueue& queue, ApiOptions options = {}, Clock now_ms = system_clock_ms,
               IdGenerator new_id = random_uuid_v4);

    // Every route, every error as JSON with CORS; never throws for bad input or
    // JobBackendError (those are 4xx / 500 answers).
    http::Response handle(const http::Request& request);

    // SIGTERM: health answers 503 so the load balancer stops sending new
    // requests before the listener closes; other routes keep working.
    void set_draining(bool draining) { draining_.store(draining); }
    bool draining() const { return draining_.load(); }

    const ApiOptions& options() const { return options_; }

private:
    http::Response route(const http::Request& request);
    http::Response submit(const http::Request& request);
    http::Response check_status(const std::string& execution_id);
    http::Response health() const;

    JobTable& table_;
    JobQueue& queue_;
    ApiOptions options_;
    Clock now_ms_;
    IdGenerator new_id_;
    std::atomic<bool> draining_{false};
};

}  // namespace archlab::real::api
