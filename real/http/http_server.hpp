// HTTP/1.1 server on Boost.Beast: async accept, read and write on one
// io_context run by `threads` threads, keep-alive, body and header limits, idle
// timeout and a graceful stop. Beast stays inside http_server.cpp (its TUs are
// slow to compile); users see only Request/Response/Handler.
//
// Blocking handlers: the handler runs on the io thread that read the request,
// and nothing else runs on that thread until it returns. A handler that calls
// AWS synchronously for ~10-50 ms therefore ties up one thread per request in
// flight: size `threads` for the concurrency you want to serve (requests in
// flight ~= threads), not for the core count. Connections themselves are cheap
// (idle keep-alive connections hold no thread).
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "http_message.hpp"

namespace archlab::real::http {

struct Options {
    std::string address = "127.0.0.1";  // "0.0.0.0" to listen on every interface
    unsigned short port = 0;            // 0: an ephemeral port, read it with port()
    int threads = 4;                    // io threads; also the bound on blocking handlers in flight
    std::size_t max_body_bytes = 1024 * 1024;  // larger bodies get 413 without being read
    std::size_t max_header_bytes = 16 * 1024;  // larger header blocks get 431
    double idle_timeout_s = 30.0;   // a connection silent this long (or a request this slow) is closed
    double drain_timeout_s = 5.0;   // stop(): how long in-flight requests get to finish writing
};

class Server {
public:
    // Throws std::invalid_argument for bad options (threads < 1, zero limits,
    // non-positive timeouts); nothing is bound until start().
    Server(Options options, Handler handler);
    ~Server();  // stop()
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    // Binds, listens and starts the io threads. Throws std::runtime_error
    // naming the address and port when the address is bad or the port is taken.
    // Call once.
    void start();

    // The bound port (the ephemeral one when Options::port was 0); 0 before start().
    unsigned short port() const;

    // Graceful stop, idempotent, safe from any thread except an io thread (so
    // not from inside a handler): closes the acceptor, closes idle keep-alive
    // connections, lets requests already being handled finish and be written
    // (with `Connection: close`), waits up to drain_timeout_s for their
    // connections to end, then stops the io_context and joins the threads.
    // A handler still blocked at that point is waited for by the join (a thread
    // cannot be cancelled), so stop() returns once it returns.
    void stop();

    // Connections currently open (for tests and logs).
    std::size_t open_connections() const;

private:
    friend class Session;  // the per-connection state in http_server_impl.hpp
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace archlab::real::http
