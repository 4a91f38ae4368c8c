#include "fake_http_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <set>
#include <sstream>
#include <stdexcept>

namespace archlab::real::testing {

namespace {

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
    return text;
}

void send_all(int fd, const std::string& bytes) {
    std::size_t sent = 0;
    while (sent < bytes.size()) {
        // MSG_NOSIGNAL: a client that timed out and left must not kill the
        // test process with SIGPIPE.
        const auto n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) return;
        sent += static_cast<std::size_t>(n);
    }
}

std::string reason(int status) {
    switch (status) {
        case 200: return "OK";
        case 400: return "Bad Request";
        case 401: return "Unauthorized";
        case 404: return "Not Found";
        case 500: return "Internal Server Error";
        case 503: return "Service Unavailable";
        default: return "Status";
    }
}

}  // namespace

std::optional<std::string> RecordedRequest::header(const std::string& name) const {
    for (const auto& h : headers) {
        if (lower(h.name) == lower(name)) return h.value;
    }
    return std::nullopt;
}

FakeHttpServer::FakeHttpServer(Handler handler) : handler_(std::move(handler)) {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    if (listen_fd_ < 0) throw std::runtime_error("fake server: socket() failed");
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;  // ephemeral: tests can run in parallel
    socklen_t length = sizeof address;
    if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::listen(listen_fd_, 64) != 0 ||
        ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
        ::close(listen_fd_);
        throw std::runtime_error("fake server: cannot listen on 127.0.0.1");
    }
    port_ = ntohs(address.sin_port);
    accept_thread_ = std::thread([this] { accept_loop(); });
}

FakeHttpServer::~FakeHttpServer() {
    stopping_ = true;
    accept_thread_.join();
    ::close(listen_fd_);
    std::vector<std::thread> threads;
    {
        std::lock_guard lock(mutex_);
        for (int fd : open_fds_) ::shutdown(fd, SHUT_RDWR);  // wakes blocked reads
        threads.swap(connection_threads_);
    }
    for (auto& thread : threads) thread.join();
}

std::vector<RecordedRequest> FakeHttpServer::requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
}

void FakeHttpServer::accept_loop() {
    while (!stopping_) {
        pollfd waiting{listen_fd_, POLLIN, 0};
        if (::poll(&waiting, 1, 20) <= 0) continue;  // re-check stopping_ every 20 ms
        const int fd = ::accept(listen_fd_, nullptr, nullptr);
        if (fd < 0) continue;
        ++connections_accepted_;
        std::lock_guard lock(mutex_);
        open_fds_.push_back(fd);
        connection_threads_.emplace_back([this, fd] { serve(fd); });
    }
}

void FakeHttpServer::serve(int fd) {
    std::string buffer;
    char chunk[8192];
    const auto read_more = [&] {
        const auto n = ::recv(fd, chunk, sizeof chunk, 0);
        if (n <= 0) return false;
        buffer.append(chunk, static_cast<std::size_t>(n));
        return true;
    };
    while (!stopping_) {
        std::size_t head_end;
        while ((head_end = buffer.find("\r\n\r\n")) == std::string::npos) {
            if (!read_more()) goto done;
        }
        {
            RecordedRequest request;
            std::istringstream head(buffer.substr(0, head_end));
            std::string line;
            std::getline(head, line);
            std::istringstream request_line(line);
            request_line >> request.method >> request.target;
            std::size_t content_length = 0;
            while (std::getline(head, line)) {
                if (!line.empty() && line.back() == '\r') line.pop_back();
                const auto colon = line.find(':');
                if (colon == std::string::npos) continue;
                std::string value = line.substr(colon + 1);
                value.erase(0, value.find_first_not_of(" \t"));
                request.headers.push_back({line.substr(0, colon), value});
                if (lower(line.substr(0, colon)) == "content-length") content_length = std::stoul(value);
            }
            buffer.erase(0, head_end + 4);
            while (buffer.size() < content_length) {
                if (!read_more()) goto done;
            }
            request.body = buffer.substr(0, content_length);
            buffer.erase(0, content_length);
            {
                std::lock_guard lock(mutex_);
                requests_.push_back(request);
            }
            const CannedResponse response = handler_(request);
            // Sleep in steps so stopping the server is not held up by a delay.
            for (auto waited = std::chrono::milliseconds(0); waited < response.delay && !stopping_;
                 waited += std::chrono::milliseconds(10)) {
                std::this_thread::sleep_for(std::chrono::milliseconds(10));
            }
            std::string bytes = "HTTP/1.1 " + std::to_string(response.status) + " " + reason(response.status) + "\r\n";
            for (const auto& h : response.headers) bytes += h.name + ": " + h.value + "\r\n";
            bytes += "Content-Length: " + std::to_string(response.body.size()) + "\r\n";
            if (response.close_connection) bytes += "Connection: close\r\n";
            send_all(fd, bytes + "\r\n" + response.body);
            if (response.close_connection) break;
        }
    }
done:
    std::lock_guard lock(mutex_);
    open_fds_.erase(std::remove(open_fds_.begin(), open_fds_.end(), fd), open_fds_.end());
    ::close(fd);
}

CannedResponse json_response(const std::string& body, int status) {
    return {.status = status, .headers = {{"Content-Type", "application/x-amz-json-1.0"}}, .body = body};
}

CannedResponse aws_error_response(int status, const std::string& code, const std::string& message) {
    return json_response(R"({"__type":"com.amazonaws.test#)" + code + R"(","message":")" + message + R"("})", status);
}

bool signature_matches(const RecordedRequest& request, const AwsCredentials& credentials,
                       const std::string& region, const std::string& service) {
    const auto authorization = request.header("Authorization");
    const auto amz_date = request.header("X-Amz-Date");
    if (!authorization || !amz_date) return false;
    const auto list_start = authorization->find("SignedHeaders=");
    if (list_start == std::string::npos) return false;
    const auto list_end = authorization->find(',', list_start);
    std::set<std::string> signed_names;
    std::istringstream names(authorization->substr(list_start + 14, list_end - list_start - 14));
    for (std::string name; std::getline(names, name, ';');) signed_names.insert(name);
    // The signer adds these itself, so they are left out of the copy.
    HttpRequest copy{.method = request.method, .target = request.target, .headers = {}, .body = request.body};
    for (const auto& h : request.headers) {
        const auto name = lower(h.name);
        if (signed_names.count(name) && name != "x-amz-date" && name != "x-amz-security-token") {
            copy.headers.push_back(h);
        }
    }
    const SigningParams params{.region = region, .service = service, .amz_date = *amz_date};
    return sign_request(copy, credentials, params).authorization_header == *authorization;
}

}  // namespace archlab::real::testing
