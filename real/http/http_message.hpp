// Plain request and response structs for archlab_real_http. Handlers see only
// these, never Beast types, so a handler (the API's routes) is unit tested by
// building a Request by hand and reading the Response.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace archlab::real::http {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct Request {
    std::string method;  // as sent, e.g. "GET"
    std::string target;  // path and query as sent, e.g. "/check-status/abc?x=1"
    std::string path;    // target before '?', not percent-decoded
    std::string query;   // target after '?', without it; empty when none
    Headers headers;     // in arrival order, names as sent
    std::string body;

    // First header with this name, compared case-insensitively (HTTP field
    // names are case-insensitive); nullopt when absent.
    std::optional<std::string> header(std::string_view name) const;
};

struct Response {
    int status = 200;
    std::string content_type = "application/json";  // empty: no Content-Type
    Headers headers;  // extra headers; Content-Length and Connection are the server's
    std::string body;
};

// Called on an io thread of the server for every complete request. It may
// block (the API calls AWS synchronously): the io thread waits meanwhile, which
// is why the server has several. Exceptions it throws become a 500.
using Handler = std::function<Response(const Request&)>;

// Splits "/a/b?x=1" into path "/a/b" and query "x=1".
std::pair<std::string, std::string> split_target(std::string_view target);

bool iequals(std::string_view a, std::string_view b);

// Escapes text for use inside a JSON string literal (quotes not included).
std::string json_escape(std::string_view text);

// {"error": message} with the given status; what every error answer looks like.
Response json_error(int status, std::string_view message);

// Why the server could not hand a request to the handler; each gets a fixed
// answer, after which the connection is closed.
enum class ReadFailure {
    body_too_large,     // 413
    headers_too_large,  // 431
    malformed,          // 400
};
Response response_for_read_failure(ReadFailure failure, std::size_t max_body_bytes,
                                   std::size_t max_header_bytes);

// The answer when the handler threw: 500, without the exception text (it may
// carry backend details the client should not see; the server logs it).
Response response_for_handler_exception();

}  // namespace archlab::real::http
