// A tiny blocking HTTP/1.1 client over plain POSIX sockets, for tests only: it
// lets tests send exact bytes (garbage, pipelined or oversized requests) and
// read answers one by one on a keep-alive connection. Not a general client:
// it understands Content-Length bodies and bodies ended by connection close.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "http_message.hpp"

namespace archlab::real::http::testing {

struct Reply {
    int status = 0;
    Headers headers;
    std::string body;
    std::optional<std::string> header(std::string_view name) const;
};

class BlockingClient {
public:
    // Connects to host:port; every later read or write fails with
    // std::runtime_error after timeout_s without progress.
    explicit BlockingClient(unsigned short port, std::string host = "127.0.0.1", double timeout_s = 10.0);
    ~BlockingClient();
    BlockingClient(const BlockingClient&) = delete;
    BlockingClient& operator=(const BlockingClient&) = delete;

    void send_raw(std::string_view bytes);
    // Sends a request with Host and (for a body) Content-Length; extra headers
    // are raw lines like "Content-Type: application/json".
    void send(std::string_view method, std::string_view target, std::string_view body = {},
              std::string_view extra_header_lines = {});
    Reply read_reply();
    Reply request(std::string_view method, std::string_view target, std::string_view body = {},
                  std::string_view extra_header_lines = {});
    // True when the server has closed the connection (a read returns EOF or a
    // reset) within the timeout; false if data arrived instead.
    bool wait_closed();

private:
    // Appends at least one more byte to buffer_; false at EOF.
    bool fill();
    int fd_ = -1;
    std::string buffer_;
};

}  // namespace archlab::real::http::testing
