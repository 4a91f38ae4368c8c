#include "api_decisions.hpp"

#include <cctype>
#include <nlohmann/json.hpp>

namespace archlab::real::api {
namespace {
constexpr std::string_view kSubmit = "/submit-code";
constexpr std::string_view kStatusPrefix = "/check-status/";
constexpr std::string_view kHealth = "/health";

std::string trim(std::string_view text) {
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
    return std::string(text);
}

std::string lower(std::string text) {
    for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text;
}
}  // namespace

RouteMatch match_route(std::string_view path) {
    if (path == kSubmit) return {Route::submit_code, "POST, OPTIONS", {}};
    if (path == kHealth) return {Route::health, "GET, OPTIONS", {}};
    if (path.substr(0, kStatusPrefix.size()) == kStatusPrefix)
        return {Route::check_status, "GET, OPTIONS", std::string(path.substr(kStatusPrefix.size()))};
    return {};
}

bool method_allowed(const RouteMatch& match, std::string_view method) {
    switch (match.route) {
        case Route::submit_code: return method == "POST" || method == "OPTIONS";
        case Route::check_status:
        case Route::health: return method == "GET" || method == "OPTIONS";
        case Route::not_found: break;
    }
    return false;
}

bool is_uuid_shape(std::string_view text) {
    if (text.size() != 36) return false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const bool dash_here = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash_here != (text[i] == '-')) return false;
        if (!dash_here && !std::isxdigit(static_cast<unsigned char>(text[i]))) return false;
    }
    return true;
}

bool is_json_content_type(const std::optional<std::string>& content_type) {
    if (!content_type) return true;
    const std::string media = lower(trim(std::string_view(*content_type).substr(0, content_type->find(';'))));
    if (media == "application/json") return true;
    return media.rfind("application/", 0) == 0 && media.size() > 17 &&
           media.compare(media.size() - 5, 5, "+json") == 0;
}

std::variant<std::string, http::Response> parse_submit_body(std::string_view body, const Limits& limits) {
    if (body.size() > limits.max_body_bytes)
        return http::json_error(413, "request body is " + std::to_string(body.size()) +
                                         " bytes; the limit is max_body_bytes = " +
                                         std::to_string(limits.max_body_bytes));
    const auto document = nlohmann::json::parse(body.begin(), body.end(), nullptr, false);
    if (document.is_discarded())
        return http::json_error(400, "body is not valid JSON; send {\"code\": \"<JavaScript>\"}");
    if (!document.is_object())
        return http::json_error(400, "body must be a JSON object {\"code\": \"<JavaScript>\"}");
    const auto code = document.find("code");
    if (code == document.end()) return http::json_error(400, "missing field \"code\"");
    if (!code->is_string()) return http::json_error(400, "field \"code\" must be a string");
    auto text = code->get<std::string>();
    if (text.size() > limits.max_code_bytes)
        return http::json_error(413, "code is " + std::to_string(text.size()) +
                                         " bytes; the limit is max_code_bytes = " +
                                         std::to_string(limits.max_code_bytes));
    return text;
}

std::string status_document(const JobRecord& job) {
    nlohmann::json document = {{"executionId", job.execution_id},
                               {"status", to_string(job.status)},
                               {"result", job.result},
                               {"submitted_at_ms", job.submitted_at_ms}};
    if (job.started_at_ms) document["started_at_ms"] = *job.started_at_ms;
    if (job.finished_at_ms) document["finished_at_ms"] = *job.finished_at_ms;
    // Replace, not throw, on invalid UTF-8 in a result: a status check must answer.
    return document.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string pending_document() { return R"({"status":"pending","result":""})"; }

void add_cors(http::Response& response) { response.headers.emplace_back("Access-Control-Allow-Origin", "*"); }

http::Response preflight(const RouteMatch& match, const std::optional<std::string>& requested_headers) {
    http::Response response;
    response.status = 204;
    response.content_type.clear();
    response.headers = {{"Access-Control-Allow-Methods", match.allow},
                        // Echo what the browser asks for, as the seed's cors() does.
                        {"Access-Control-Allow-Headers", requested_headers ? *requested_headers : "Content-Type"},
                        {"Access-Control-Max-Age", "86400"},
                        {"Allow", match.allow}};
    return response;
}

http::Response method_not_allowed(const RouteMatch& match, std::string_view method, std::string_view path) {
    auto response = http::json_error(405, "method " + std::string(method) + " is not allowed on " +
                                              std::string(path) + "; allowed: " + match.allow);
    response.headers.emplace_back("Allow", match.allow);
    return response;
}

}  // namespace archlab::real::api
