// The only Beast translation unit of archlab_real_http (Beast TUs compile slowly).
#include "http_server_impl.hpp"

namespace archlab::real::http {

bool Server::Impl::register_session(const std::shared_ptr<Session>& session) {
    std::lock_guard lock(mutex);
    if (stopping.load()) return false;
    sessions.emplace(session.get(), session);
    return true;
}

void Server::Impl::unregister_session(const Session* session) {
    {
        std::lock_guard lock(mutex);
        sessions.erase(session);
    }
    sessions_changed.notify_all();
}

void Server::Impl::do_accept() {
    acceptor->async_accept(asio::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
        if (ec == asio::error::operation_aborted || !acceptor->is_open()) return;
        if (ec) {
            // Typically EMFILE: keep the listener alive and try again shortly
            // instead of spinning or giving up on accepting for good.
            std::fprintf(stderr, "archlab http: accept failed: %s\n", ec.message().c_str());
            accept_retry->expires_after(std::chrono::milliseconds(50));
            accept_retry->async_wait([this](beast::error_code e) {
                if (!e && acceptor->is_open()) do_accept();
            });
            return;
        }
        beast::error_code ignored;
        socket.set_option(tcp::no_delay(true), ignored);  // no Nagle + delayed-ACK 40 ms stalls
        std::make_shared<Session>(*this, std::move(socket))->run();
        do_accept();
    });
}

Server::Server(Options options, Handler handler) {
    if (options.threads < 1) throw std::invalid_argument("http::Server: threads must be at least 1");
    if (options.max_body_bytes == 0 || options.max_header_bytes == 0)
        throw std::invalid_argument("http::Server: max_body_bytes and max_header_bytes must be positive");
    if (!(options.idle_timeout_s > 0) || !(options.drain_timeout_s >= 0))
        throw std::invalid_argument("http::Server: idle_timeout_s must be > 0 and drain_timeout_s >= 0");
    if (!handler) throw std::invalid_argument("http::Server: handler is empty");
    impl_ = std::make_unique<Impl>(std::move(options), std::move(handler));
}

Server::~Server() { stop(); }

void Server::start() {
    auto& s = *impl_;
    {
        std::lock_guard lock(s.mutex);
        if (s.started || s.acceptor) throw std::logic_error("http::Server::start called twice");
    }
    const std::string where = s.options.address + ":" + std::to_string(s.options.port);
    beast::error_code ec;
    const auto address = asio::ip::make_address(s.options.address, ec);
    if (ec) throw std::runtime_error("http::Server: invalid listen address '" + s.options.address + "'");
    const tcp::endpoint endpoint(address, s.options.port);
    s.acceptor.emplace(asio::make_strand(s.ioc));
    s.accept_retry.emplace(s.acceptor->get_executor());
    auto fail = [&](const char* step) {
        throw std::runtime_error("http::Server: cannot listen on " + where + " (" + step + ": " + ec.message() + ")");
    };
    if (s.acceptor->open(endpoint.protocol(), ec); ec) fail("open");
    // SO_REUSEADDR only (not SO_REUSEPORT): a second server on a taken port must fail.
    if (s.acceptor->set_option(asio::socket_base::reuse_address(true), ec); ec) fail("setsockopt");
    if (s.acceptor->bind(endpoint, ec); ec) fail("bind");
    if (s.acceptor->listen(asio::socket_base::max_listen_connections, ec); ec) fail("listen");
    s.bound_port = s.acceptor->local_endpoint().port();
    {
        std::lock_guard lock(s.mutex);
        s.started = true;  // only now: stop() after a failed start has nothing to undo
    }
    s.work.emplace(s.ioc.get_executor());
    s.do_accept();
    for (int i = 0; i < s.options.threads; ++i) {
        s.threads.emplace_back([&s] {
            for (;;) {
                try {
                    s.ioc.run();
                    return;
                } catch (const std::exception& e) {  // should not happen: keep the thread serving
                    std::fprintf(stderr, "archlab http: io thread caught: %s\n", e.what());
                }
            }
        });
    }
}

unsigned short Server::port() const { return impl_->bound_port.load(); }

std::size_t Server::open_connections() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->sessions.size();
}

void Server::stop() {
    auto& s = *impl_;
    std::vector<std::shared_ptr<Session>> live;
    {
        std::lock_guard lock(s.mutex);
        if (!s.started || s.stopped) return;
        for (const auto& thread : s.threads)  // joining ourselves would hang forever
            if (thread.get_id() == std::this_thread::get_id())
                throw std::logic_error("http::Server::stop called from an io thread (a handler)");
        s.stopped = true;
        s.stopping = true;  // under the mutex: sessions registering later see it
        for (auto& [key, weak] : s.sessions)
            if (auto session = weak.lock()) live.push_back(std::move(session));
    }
    asio::post(s.acceptor->get_executor(), [&s] {
        beast::error_code ignored;
        s.acceptor->close(ignored);
        s.accept_retry->cancel();
    });
    for (auto& session : live) session->request_stop();
    live.clear();  // our references must not keep sessions (and the count) alive
    {
        std::unique_lock lock(s.mutex);
        s.sessions_changed.wait_for(lock, seconds(s.options.drain_timeout_s), [&s] { return s.sessions.empty(); });
        if (!s.sessions.empty())
            std::fprintf(stderr, "archlab http: stop: %zu connection(s) still open after the %.1f s drain\n",
                         s.sessions.size(), s.options.drain_timeout_s);
    }
    s.work.reset();
    s.ioc.stop();
    for (auto& thread : s.threads)
        if (thread.joinable()) thread.join();
}

}  // namespace archlab::real::http
