// The API's decisions as pure functions (no ports, clock or network): which
// route a path is, whether a submit body is acceptable, what a status answer
// looks like. ApiService strings them together; each is tested on its own.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "http_message.hpp"
#include "job_ports.hpp"

namespace archlab::real::api {

enum class Route { submit_code, check_status, health, not_found };

struct RouteMatch {
    Route route = Route::not_found;
    std::string allow;             // the Allow header for 405s and preflights, e.g. "POST, OPTIONS"
    std::string execution_id;      // check_status only: the path after "/check-status/", as sent
};

// "/submit-code", "/check-status/{id}", "/health"; anything else (including
// "/check-status" without an id) is not_found. Query strings are not part of path.
RouteMatch match_route(std::string_view path);
bool method_allowed(const RouteMatch& match, std::string_view method);

// 8-4-4-4-12 hex digits (either case), the shape of every id this API hands out.
bool is_uuid_shape(std::string_view text);

// True for a missing Content-Type (lenient: some clients omit it) and for
// application/json or application/<anything>+json, parameters ignored.
bool is_json_content_type(const std::optional<std::string>& content_type);

struct Limits {
    std::size_t max_body_bytes = 64 * 1024;
    std::size_t max_code_bytes = 16 * 1024;
};

// The code from a POST /submit-code body {"code": "..."}, or the error answer
// (400 bad JSON / not an object / no code / code not a string, 413 over a
// limit) with a message naming the field or the limit.
std::variant<std::string, http::Response> parse_submit_body(std::string_view body, const Limits& limits);

// 200 {"executionId","status","result","submitted_at_ms"[,"started_at_ms"][,"finished_at_ms"]}.
std::string status_document(const JobRecord& job);
// The seed's answer when the id was seen in the queue: {"status":"pending","result":""}.
std::string pending_document();

// Adds CORS to every answer, like the seed's cors({origin: '*'}).
void add_cors(http::Response& response);
// 204 answer to an OPTIONS preflight on a known route.
http::Response preflight(const RouteMatch& match, const std::optional<std::string>& requested_headers);
// 405 naming the method and what is allowed, with Allow.
http::Response method_not_allowed(const RouteMatch& match, std::string_view method, std::string_view path);

}  // namespace archlab::real::api
