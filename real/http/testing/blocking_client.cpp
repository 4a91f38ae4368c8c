#include "blocking_client.hpp"

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdexcept>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

namespace archlab::real::http::testing {
namespace {
std::runtime_error sys_error(const std::string& what) {
    return std::runtime_error("BlockingClient: " + what + ": " + std::strerror(errno));
}
}  // namespace

std::optional<std::string> Reply::header(std::string_view name) const {
    for (const auto& [key, value] : headers)
        if (iequals(key, name)) return value;
    return std::nullopt;
}

BlockingClient::BlockingClient(unsigned short port, std::string host, double timeout_s) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd_ < 0) throw sys_error("socket");
    timeval tv{};
    tv.tv_sec = static_cast<time_t>(timeout_s);
    tv.tv_usec = static_cast<suseconds_t>((timeout_s - static_cast<double>(tv.tv_sec)) * 1e6);
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    if (::inet_pton(AF_INET, host.c_str(), &address.sin_addr) != 1) {
        ::close(fd_);
        throw std::runtime_error("BlockingClient: bad IPv4 address " + host);
    }
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        auto error = sys_error("connect to " + host + ":" + std::to_string(port));
        ::close(fd_);
        throw error;
    }
}

BlockingClient::~BlockingClient() {
    if (fd_ >= 0) ::close(fd_);
}

void BlockingClient::send_raw(std::string_view bytes) {
    while (!bytes.empty()) {
        const auto n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR) continue;
            throw sys_error("send");
        }
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
}

void BlockingClient::send(std::string_view method, std::string_view target, std::string_view body,
                          std::string_view extra_header_lines) {
    std::string request = std::string(method) + " " + std::string(target) + " HTTP/1.1\r\nHost: test\r\n";
    if (!body.empty() || method == "POST") request += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    std::string extra(extra_header_lines);
    if (!extra.empty()) {
        if (extra.size() < 2 || extra.substr(extra.size() - 2) != "\r\n") extra += "\r\n";
        request += extra;
    }
    request += "\r\n";
    request += body;
    send_raw(request);
}

bool BlockingClient::fill() {
    char chunk[16 * 1024];
    for (;;) {
        const auto n = ::recv(fd_, chunk, sizeof chunk, 0);
        if (n > 0) {
            buffer_.append(chunk, static_cast<std::size_t>(n));
            return true;
        }
        if (n == 0) return false;
        if (errno == EINTR) continue;
        if (errno == ECONNRESET) return false;
        if (errno == EAGAIN || errno == EWOULDBLOCK) throw std::runtime_error("BlockingClient: read timed out");
        throw sys_error("recv");
    }
}

Reply BlockingClient::read_reply() {
    std::size_t end;
    while ((end = buffer_.find("\r\n\r\n")) == std::string::npos)
        if (!fill()) throw std::runtime_error("BlockingClient: connection closed before a full reply header");
    const std::string head = buffer_.substr(0, end);
    buffer_.erase(0, end + 4);
    Reply reply;
    std::size_t line_end = head.find("\r\n");
    const std::string status_line = head.substr(0, line_end);
    if (status_line.rfind("HTTP/1.", 0) != 0 || status_line.size() < 12)
        throw std::runtime_error("BlockingClient: bad status line: " + status_line);
    reply.status = std::stoi(status_line.substr(9, 3));
    while (line_end != std::string::npos) {
        const std::size_t start = line_end + 2;
        line_end = head.find("\r\n", start);
        const std::string line = head.substr(start, line_end == std::string::npos ? std::string::npos : line_end - start);
        const auto colon = line.find(':');
        if (colon == std::string::npos) continue;
        std::string value = line.substr(colon + 1);
        while (!value.empty() && value.front() == ' ') value.erase(0, 1);
        reply.headers.emplace_back(line.substr(0, colon), value);
    }
    if (reply.status == 100) return read_reply();  // interim answer: the real one follows
    if (const auto length = reply.header("Content-Length")) {
        const auto size = static_cast<std::size_t>(std::stoull(*length));
        while (buffer_.size() < size)
            if (!fill()) throw std::runtime_error("BlockingClient: connection closed inside a reply body");
        reply.body = buffer_.substr(0, size);
        buffer_.erase(0, size);
    } else {
        while (fill()) {
        }
        reply.body = std::move(buffer_);
        buffer_.clear();
    }
    return reply;
}

Reply BlockingClient::request(std::string_view method, std::string_view target, std::string_view body,
                              std::string_view extra_header_lines) {
    send(method, target, body, extra_header_lines);
    return read_reply();
}

bool BlockingClient::wait_closed() {
    if (!buffer_.empty()) return false;
    return !fill();
}

}  // namespace archlab::real::http::testing
