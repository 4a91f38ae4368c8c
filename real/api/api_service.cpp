#include "api_service.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "uuid.hpp"

namespace archlab::real::api {
namespace {
http::Response json_ok(std::string body) {
    http::Response response;
    response.body = std::move(body);
    return response;
}

// 500 with the backend's message as "detail": this is a teaching system, and
// "ProvisionedThroughputExceededException" is exactly what students should see.
http::Response backend_failure(const std::string& error, const std::string& detail,
                               nlohmann::json extra = nlohmann::json::object()) {
    extra["error"] = error;
    extra["detail"] = detail;
    http::Response response;
    response.status = 500;
    response.body = extra.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return response;
}

void log_backend_error(const char* what, const std::string& id, const std::string& detail) {
    std::fprintf(stderr, "archlab-api: %s%s%s: %s\n", what, id.empty() ? "" : " ", id.c_str(), detail.c_str());
}
}  // namespace

std::int64_t system_clock_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

ApiService::ApiService(JobTable& table, JobQueue& queue, ApiOptions options, Clock now_ms, IdGenerator new_id)
    : table_(table),
      queue_(queue),
      options_(options),
      now_ms_(now_ms ? std::move(now_ms) : Clock(system_clock_ms)),
      new_id_(new_id ? std::move(new_id) : IdGenerator(random_uuid_v4)) {
    if (options_.max_body_bytes == 0 || options_.max_code_bytes == 0)
        throw std::invalid_argument("ApiService: max_body_bytes and max_code_bytes must be positive");
    if (options_.peek_max_messages < 1 || options_.peek_max_messages > 10)
        throw std::invalid_argument("ApiService: peek_max_messages must be 1..10 (SQS limit)");
}

http::Response ApiService::handle(const http::Request& request) {
    auto response = route(request);
    add_cors(response);
    return response;
}

http::Response ApiService::route(const http::Request& request) {
    const RouteMatch match = match_route(request.path);
    if (match.route == Route::not_found) return http::json_error(404, "no such route: " + request.path);
    if (!method_allowed(match, request.method)) return method_not_allowed(match, request.method, request.path);
    if (request.method == "OPTIONS") return preflight(match, request.header("Access-Control-Request-Headers"));
    switch (match.route) {
        case Route::submit_code: return submit(request);
        case Route::check_status: return check_status(match.execution_id);
        case Route::health: return health();
        case Route::not_found: break;
    }
    return http::json_error(404, "no such route: " + request.path);
}

http::Response ApiService::submit(const http::Request& request) {
    if (!is_json_content_type(request.header("Content-Type")))
        return http::json_error(415, "Content-Type must be application/json, not " +
                                         request.header("Content-Type").value_or(""));
    auto parsed = parse_submit_body(request.body, {options_.max_body_bytes, options_.max_code_bytes});
    if (auto* error = std::get_if<http::Response>(&parsed)) return std::move(*error);

    JobRecord job;
    job.execution_id = new_id_();
    job.code = std::move(std::get<std::string>(parsed));
    job.status = JobStatus::pending;
    job.submitted_at_ms = now_ms_();
    // Row first, then message (the seed's order): a worker that receives the
    // id always finds the row.
    try {
        table_.create(job);
    } catch (const JobBackendError& e) {
        log_backend_error("submit: table create failed for", job.execution_id, e.what());
        return backend_failure("Failed to submit code: could not record the job", e.what());
    }
    try {
        queue_.send(job.execution_id);
    } catch (const JobBackendError& e) {
        log_backend_error("submit: queue send failed for", job.execution_id, e.what());
        // Mark the row failed so a client polling this id gets a final answer
        // instead of "pending" forever. If the send did reach SQS after all
        // (a timeout after delivery), the worker's conditional finish sees the
        // row is no longer pending and does not run it twice.
        std::string job_status = "failed";
        try {
            const auto now = now_ms_();
            if (!table_.finish_if_pending(job.execution_id, JobStatus::failed,
                                          std::string("the job could not be queued: ") + e.what(), now, now))
                job_status = "unknown";  // someone finished it meanwhile
        } catch (const JobBackendError& mark) {
            log_backend_error("submit: could not mark the unqueued job failed:", job.execution_id, mark.what());
            job_status = "pending";  // stays pending until someone cleans it up
        }
        return backend_failure("Failed to submit code: the job was recorded but could not be queued", e.what(),
                               {{"executionId", job.execution_id}, {"jobStatus", job_status}});
    }
    return json_ok(nlohmann::json{{"executionId", job.execution_id}, {"message", "Code submitted successfully"}}
                       .dump());
}

http::Response ApiService::check_status(const std::string& execution_id) {
    if (execution_id.empty()) return http::json_error(400, "missing execution id: use /check-status/{executionId}");
    if (!is_uuid_shape(execution_id))
        return http::json_error(400, "execution id must be a UUID like 123e4567-e89b-42d3-a456-426614174000");
    try {
        if (options_.status_from_queue_peek) {
            const auto ids = queue_.peek_ids(options_.peek_max_messages);
            if (std::find(ids.begin(), ids.end(), execution_id) != ids.end()) return json_ok(pending_document());
        }
        const auto job = table_.get(execution_id);
        if (!job) return http::json_error(404, "Execution ID not found");
        return json_ok(status_document(*job));
    } catch (const JobBackendError& e) {
        log_backend_error("check-status failed for", execution_id, e.what());
        return backend_failure("Failed to check status", e.what());
    }
}

http::Response ApiService::health() const {
    if (draining()) {
        http::Response response = json_ok(R"({"status":"draining"})");
        response.status = 503;
        return response;
    }
    return json_ok(R"({"status":"ok"})");
}

}  // namespace archlab::real::api
