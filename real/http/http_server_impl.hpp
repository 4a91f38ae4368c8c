// Internals of http_server.cpp, split out only to keep files short: the
// Server's state and the per-connection Session. Include from http_server.cpp
// alone (it is the one Beast translation unit). Every connection's operations
// run on its own strand, so a Session's members are touched by one thread at a
// time; the handler runs on that strand too.
#pragma once

#include "http_server.hpp"

#include <atomic>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <array>
#include <thread>
#include <unordered_map>

namespace archlab::real::http {
namespace {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

std::chrono::steady_clock::duration seconds(double s) {
    return std::chrono::duration_cast<std::chrono::steady_clock::duration>(
        std::chrono::duration<double>(s));
}

// Framing headers are the server's alone; letting a handler set them could
// desynchronise keep-alive connections.
bool is_framing_header(std::string_view name) {
    return iequals(name, "content-length") || iequals(name, "transfer-encoding") ||
           iequals(name, "connection");
}

// After an error answer the client may still be sending (a 413 body): read and
// drop up to this much for up to a second before closing, so the close does not
// turn into a TCP reset that destroys the answer before the client reads it.
constexpr std::size_t kLingerBytes = 1024 * 1024;
constexpr double kLingerSeconds = 1.0;
}  // namespace

class Session;

struct Server::Impl {
    Options options;
    Handler handler;
    std::atomic<bool> stopping{false};
    std::atomic<unsigned short> bound_port{0};
    // Declared before io_context: sessions unregister themselves when the
    // io_context destroys their pending handlers, so these must outlive it.
    mutable std::mutex mutex;
    std::condition_variable sessions_changed;
    std::unordered_map<const Session*, std::weak_ptr<Session>> sessions;
    bool started = false;
    bool stopped = false;
    asio::io_context ioc;
    // Keeps run() from returning when the io_context momentarily has no work
    // (e.g. between closing the acceptor and stop()'s posts to sessions).
    std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
    std::optional<tcp::acceptor> acceptor;
    std::optional<asio::steady_timer> accept_retry;
    std::vector<std::thread> threads;

    Impl(Options o, Handler h) : options(std::move(o)), handler(std::move(h)), ioc(options.threads) {}
    void do_accept();
    // False when the server is stopping: the session must close at once.
    bool register_session(const std::shared_ptr<Session>& session);
    void unregister_session(const Session* session);
};

class Session : public std::enable_shared_from_this<Session> {
public:
    Session(Server::Impl& server, tcp::socket socket) : server_(server), stream_(std::move(socket)) {}
    ~Session() { server_.unregister_session(this); }

    void run() {
        asio::dispatch(stream_.get_executor(), [self = shared_from_this()] {
            if (!self->server_.register_session(self)) return self->close();
            self->read_header();
        });
    }
    // Posted by Server::stop(): an idle connection closes now; a busy one
    // closes after its answer is written (on_write sees `stopping`).
    void request_stop() {
        asio::post(stream_.get_executor(), [self = shared_from_this()] {
            if (!self->busy_) self->close();
        });
    }

private:
    void read_header() {
        parser_.emplace();
        parser_->body_limit(server_.options.max_body_bytes);
        parser_->header_limit(static_cast<std::uint32_t>(server_.options.max_header_bytes));
        stream_.expires_after(seconds(server_.options.idle_timeout_s));
        bhttp::async_read_header(stream_, buffer_, *parser_,
                                 [self = shared_from_this()](beast::error_code ec, std::size_t) {
                                     self->on_header(ec);
                                 });
    }

    void on_header(beast::error_code ec) {
        if (ec) return on_read_error(ec);
        busy_ = true;  // a request is in flight from here until its answer is written
        const auto expect = parser_->get()[bhttp::field::expect];
        if (iequals(std::string_view(expect.data(), expect.size()), "100-continue")) {
            // Clients such as curl wait for this before sending a larger body.
            continue_.emplace(bhttp::status::continue_, parser_->get().version());
            return bhttp::async_write(stream_, *continue_,
                                      [self = shared_from_this()](beast::error_code e, std::size_t) {
                                          if (e) return self->close();
                                          self->read_body();
                                      });
        }
        read_body();
    }

    void read_body() {
        if (parser_->is_done()) return on_read({});
        bhttp::async_read(stream_, buffer_, *parser_,
                          [self = shared_from_this()](beast::error_code ec, std::size_t) {
                              self->on_read(ec);
                          });
    }

    void on_read_error(beast::error_code ec) {
        if (ec == bhttp::error::body_limit)
            return send_error(response_for_read_failure(ReadFailure::body_too_large,
                                                        server_.options.max_body_bytes,
                                                        server_.options.max_header_bytes));
        if (ec == bhttp::error::header_limit)
            return send_error(response_for_read_failure(ReadFailure::headers_too_large,
                                                        server_.options.max_body_bytes,
                                                        server_.options.max_header_bytes));
        // end_of_stream: the client closed between requests, the normal end of
        // a keep-alive connection. Other HTTP-category errors are bad requests.
        if (ec.category() == bhttp::make_error_code(bhttp::error::end_of_stream).category() &&
            ec != bhttp::error::end_of_stream)
            return send_error(response_for_read_failure(ReadFailure::malformed,
                                                        server_.options.max_body_bytes,
                                                        server_.options.max_header_bytes));
        close();  // timeout, reset, stop(): nobody to answer
    }

    void on_read(beast::error_code ec) {
        if (ec) return on_read_error(ec);
        auto message = parser_->release();
        Request request;
        request.method = std::string(message.method_string());
        request.target = std::string(message.target());
        std::tie(request.path, request.query) = split_target(request.target);
        for (const auto& field : message)
            request.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
        request.body = std::move(message.body());

        Response response;
        try {
            response = server_.handler(request);
        } catch (const std::exception& e) {
            std::fprintf(stderr, "archlab http: handler threw for %s %s: %s\n", request.method.c_str(),
                         request.target.c_str(), e.what());
            response = response_for_handler_exception();
        } catch (...) {
            std::fprintf(stderr, "archlab http: handler threw a non-exception for %s %s\n",
                         request.method.c_str(), request.target.c_str());
            response = response_for_handler_exception();
        }
        const bool keep_alive = message.keep_alive() && !server_.stopping.load();
        send(std::move(response), message.version(), keep_alive, false);
    }

    void send_error(Response response) {
        busy_ = true;
        send(std::move(response), 11, false, true);
    }

    void send(Response in, unsigned version, bool keep_alive, bool linger) {
        auto& out = response_;
        out = {};
        out.version(version);
        out.result(in.status >= 100 && in.status <= 999 ? static_cast<unsigned>(in.status) : 500u);
        if (!in.content_type.empty()) out.set(bhttp::field::content_type, in.content_type);
        for (const auto& [name, value] : in.headers)
            if (!is_framing_header(name)) out.insert(name, value);
        out.body() = std::move(in.body);
        out.keep_alive(keep_alive);
        out.prepare_payload();
        stream_.expires_after(seconds(server_.options.idle_timeout_s));
        bhttp::async_write(stream_, out,
                           [self = shared_from_this(), keep_alive, linger](beast::error_code ec, std::size_t) {
                               self->on_write(ec, keep_alive, linger);
                           });
    }

    void on_write(beast::error_code ec, bool keep_alive, bool linger) {
        busy_ = false;
        if (ec) return close();
        if (linger) return start_linger();
        if (!keep_alive || server_.stopping.load()) return close();
        read_header();
    }

    void start_linger() {
        beast::error_code ignored;
        stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
        stream_.expires_after(seconds(kLingerSeconds));
        linger_read();
    }

    void linger_read() {
        stream_.async_read_some(asio::buffer(discard_),
                                [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                                    self->lingered_ += n;
                                    if (ec || self->lingered_ >= kLingerBytes) return self->close();
                                    self->linger_read();
                                });
    }

    void close() {
        beast::error_code ignored;
        stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
        stream_.socket().close(ignored);
    }

    Server::Impl& server_;
    beast::tcp_stream stream_;
    beast::flat_buffer buffer_;
    std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
    bhttp::response<bhttp::string_body> response_;
    std::optional<bhttp::response<bhttp::empty_body>> continue_;
    std::array<char, 16 * 1024> discard_{};
    std::size_t lingered_ = 0;
    bool busy_ = false;
};

}  // namespace archlab::real::http
