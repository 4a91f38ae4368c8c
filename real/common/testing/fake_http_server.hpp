// Test support: a tiny HTTP/1.1 server on 127.0.0.1 (ephemeral port) running
// in the test process. It records every request and answers with whatever
// the test's handler returns, so client code can be checked byte for byte
// (headers, signature, JSON body) and fed AWS responses, errors and delays
// without any emulator or network. Keep-alive is supported so connection
// reuse can be observed (connections_accepted()).
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "aws_credentials.hpp"
#include "sigv4.hpp"

namespace archlab::real::testing {

struct RecordedRequest {
    std::string method;
    std::string target;
    std::vector<HttpHeader> headers;
    std::string body;
    std::optional<std::string> header(const std::string& name) const;  // case-insensitive
};

struct CannedResponse {
    int status = 200;
    std::vector<HttpHeader> headers;  // Content-Length is added
    std::string body;
    std::chrono::milliseconds delay{0};  // wait before answering (timeout tests)
    bool close_connection = false;
};

class FakeHttpServer {
public:
    using Handler = std::function<CannedResponse(const RecordedRequest&)>;

    explicit FakeHttpServer(Handler handler);
    ~FakeHttpServer();  // stops accepting, closes connections, joins threads
    FakeHttpServer(const FakeHttpServer&) = delete;
    FakeHttpServer& operator=(const FakeHttpServer&) = delete;

    std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }
    int port() const { return port_; }
    std::vector<RecordedRequest> requests() const;
    int connections_accepted() const { return connections_accepted_; }

private:
    void accept_loop();
    void serve(int fd);

    Handler handler_;
    int listen_fd_ = -1;
    int port_ = 0;
    std::atomic<bool> stopping_{false};
    std::atomic<int> connections_accepted_{0};
    mutable std::mutex mutex_;
    std::vector<RecordedRequest> requests_;
    std::vector<int> open_fds_;
    std::vector<std::thread> connection_threads_;
    std::thread accept_thread_;
};

// A JSON body with status 200 (or `status`), as AWS answers.
CannedResponse json_response(const std::string& body, int status = 200);
// An AWS JSON 1.0 error: {"__type": "<prefix>#<code>", "message": ...}.
CannedResponse aws_error_response(int status, const std::string& code, const std::string& message);

// Re-signs the recorded request with `credentials` (same time, same signed
// headers) and compares the Authorization header, as AWS would.
bool signature_matches(const RecordedRequest& request, const AwsCredentials& credentials,
                       const std::string& region, const std::string& service);

}  // namespace archlab::real::testing
