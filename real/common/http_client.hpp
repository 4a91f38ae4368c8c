// A small blocking HTTP/1.1 client over libcurl, for talking to AWS APIs and
// the credential endpoints. It only moves bytes: signing happens before (the
// caller passes a finished HttpRequest from sigv4.hpp), and any status code,
// 4xx and 5xx included, is a normal response. Only transport failures
// (DNS, connect, TLS, timeout, reset) throw.
#pragma once

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "sigv4.hpp"

namespace archlab::real {

struct HttpResponse {
    long status = 0;
    std::vector<HttpHeader> headers;  // as received, in order, names as sent
    std::string body;

    // First header with that name, compared case-insensitively (HTTP header
    // names are case-insensitive; servers differ in how they spell them).
    std::optional<std::string> header(const std::string& name) const;
};

struct HttpClientOptions {
    // Separate limits: an unreachable host should fail fast (connect), while
    // a slow but alive one may need longer (total).
    double connect_timeout_s = 3.0;
    double timeout_s = 30.0;
};

// Connection failed or timed out; there is no HTTP status. The message names
// the method, the URL and curl's own description of what went wrong.
struct TransportError : std::runtime_error {
    TransportError(const std::string& message, std::string url, bool timed_out)
        : std::runtime_error(message), url(std::move(url)), timed_out(timed_out) {}
    std::string url;
    bool timed_out;
};

// One client holds one curl easy handle, so successive requests to the same
// host reuse the connection (keep-alive). Not thread-safe: use one client
// per thread, or a pool (as AwsJsonClient does).
class HttpClient {
public:
    // `base_url` is scheme://host[:port][/prefix] without a trailing "/";
    // each request's target is appended to it.
    explicit HttpClient(std::string base_url, HttpClientOptions options = {});
    ~HttpClient();
    HttpClient(const HttpClient&) = delete;
    HttpClient& operator=(const HttpClient&) = delete;

    // Sends the request as given: method, target, headers (a Host header is
    // sent as given; curl adds its own only when absent) and body.
    // `timeout_s` overrides options.timeout_s for this call, e.g. for an SQS
    // long poll that must be allowed to wait longer than a normal call.
    HttpResponse send(const HttpRequest& request, std::optional<double> timeout_s = std::nullopt);

    const std::string& base_url() const { return base_url_; }

private:
    struct Handle;
    std::string base_url_;
    HttpClientOptions options_;
    std::unique_ptr<Handle> handle_;
};

}  // namespace archlab::real
