// The server for real on 127.0.0.1, an ephemeral port, with a blocking socket
// client. Timeouts are generous and nothing asserts on timing.
#include <catch2/catch.hpp>

#include <atomic>
#include <condition_variable>
#include <future>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

#include "blocking_client.hpp"
#include "http_server.hpp"

using namespace archlab::real::http;
using archlab::real::http::testing::BlockingClient;

namespace {
Response echo(const Request& request) {
    Response response;
    response.content_type = "text/plain";
    response.headers = {{"X-Path", request.path}, {"X-Query", request.query}, {"Content-Length", "999"}};
    response.body = request.method + " " + request.target + " " + request.body;
    return response;
}

Options small_options() {
    Options options;
    options.threads = 2;
    options.max_body_bytes = 1000;
    options.max_header_bytes = 2000;
    options.drain_timeout_s = 10.0;
    return options;
}

// A one-shot gate a blocked handler waits on.
struct Gate {
    std::mutex mutex;
    std::condition_variable changed;
    bool open = false;
    bool entered = false;
    void enter_and_wait() {
        std::unique_lock lock(mutex);
        entered = true;
        changed.notify_all();
        changed.wait_for(lock, std::chrono::seconds(30), [this] { return open; });
    }
    void wait_entered() {
        std::unique_lock lock(mutex);
        if (!changed.wait_for(lock, std::chrono::seconds(30), [this] { return entered; }))
            throw std::runtime_error("handler never entered");
    }
    void release() {
        std::lock_guard lock(mutex);
        open = true;
        changed.notify_all();
    }
};
}  // namespace

TEST_CASE("server answers several requests on one keep-alive connection", "[http]") {
    Server server(small_options(), echo);
    server.start();
    REQUIRE(server.port() != 0);
    BlockingClient client(server.port());
    for (int i = 0; i < 5; ++i) {
        const auto reply = client.request("POST", "/echo/" + std::to_string(i) + "?n=" + std::to_string(i), "body");
        CHECK(reply.status == 200);
        CHECK(reply.body == "POST /echo/" + std::to_string(i) + "?n=" + std::to_string(i) + " body");
        CHECK(reply.header("X-Path") == "/echo/" + std::to_string(i));
        CHECK(reply.header("X-Query") == "n=" + std::to_string(i));
        CHECK(reply.header("Content-Type") == "text/plain");
        CHECK(reply.header("Content-Length") == std::to_string(reply.body.size()));  // handler's ignored
    }
    // Pipelined: two requests in one write, two answers in order.
    client.send_raw("GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n");
    CHECK(client.read_reply().body == "GET /a ");
    CHECK(client.read_reply().body == "GET /b ");
    CHECK(server.open_connections() == 1);
}

TEST_CASE("Connection: close is honoured", "[http]") {
    Server server(small_options(), echo);
    server.start();
    BlockingClient client(server.port());
    const auto reply = client.request("GET", "/x", "", "Connection: close");
    CHECK(reply.status == 200);
    CHECK(client.wait_closed());
}

TEST_CASE("an oversized body gets 413 naming the limit, then the connection closes", "[http]") {
    Server server(small_options(), echo);
    server.start();
    SECTION("announced by Content-Length, body sent anyway") {
        BlockingClient client(server.port());
        const auto reply = client.request("POST", "/x", std::string(5000, 'a'));
        CHECK(reply.status == 413);
        CHECK(reply.header("Content-Type") == "application/json");
        CHECK(reply.body.find("max_body_bytes = 1000") != std::string::npos);
        CHECK(client.wait_closed());
    }
    SECTION("chunked, discovered while reading") {
        BlockingClient client(server.port());
        std::string request = "POST /x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
        for (int i = 0; i < 4; ++i) request += "1f4\r\n" + std::string(500, 'b') + "\r\n";
        request += "0\r\n\r\n";
        client.send_raw(request);
        CHECK(client.read_reply().status == 413);
    }
    SECTION("exactly at the limit is fine") {
        BlockingClient client(server.port());
        CHECK(client.request("POST", "/x", std::string(1000, 'a')).status == 200);
    }
}

TEST_CASE("Expect: 100-continue gets the interim answer, then the real one", "[http]") {
    Server server(small_options(), echo);
    server.start();
    BlockingClient client(server.port());
    client.send_raw("POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n");
    client.send_raw("abc");
    const auto reply = client.read_reply();  // skips the 100
    CHECK(reply.status == 200);
    CHECK(reply.body == "POST /x abc");
}

TEST_CASE("garbage gets 400 and never crashes the server", "[http]") {
    Server server(small_options(), echo);
    server.start();
    for (const std::string garbage : {std::string("GARBAGE\r\n\r\n"), std::string("\x01\x02\x03 / HTTP/1.1\r\n\r\n"),
                                      std::string("GET / HTTP/9.9\r\n\r\n"),
                                      std::string("POST / HTTP/1.1\r\nContent-Length: abc\r\n\r\n")}) {
        BlockingClient client(server.port());
        client.send_raw(garbage);
        const auto reply = client.read_reply();
        CHECK(reply.status == 400);
        CHECK(reply.body == R"({"error":"malformed HTTP request"})");
        CHECK(client.wait_closed());
    }
    BlockingClient after(server.port());
    CHECK(after.request("GET", "/still-alive").status == 200);
}

TEST_CASE("too many header bytes get 431", "[http]") {
    Server server(small_options(), echo);
    server.start();
    BlockingClient client(server.port());
    const auto reply = client.request("GET", "/x", "", "X-Big: " + std::string(5000, 'h'));
    CHECK(reply.status == 431);
    CHECK(reply.body.find("max_header_bytes = 2000") != std::string::npos);
}

TEST_CASE("a throwing handler gets 500 JSON and the connection stays usable", "[http]") {
    Server server(small_options(), [](const Request& request) -> Response {
        if (request.path == "/throw") throw std::runtime_error("secret backend detail");
        if (request.path == "/throw-int") throw 42;
        return echo(request);
    });
    server.start();
    BlockingClient client(server.port());
    for (const char* path : {"/throw", "/throw-int"}) {
        const auto reply = client.request("GET", path);
        CHECK(reply.status == 500);
        CHECK(reply.body == R"({"error":"internal server error"})");
        CHECK(reply.body.find("secret") == std::string::npos);
    }
    CHECK(client.request("GET", "/ok").status == 200);
}

TEST_CASE("concurrent clients each get their own answers", "[http]") {
    auto options = small_options();
    options.threads = 4;
    Server server(options, echo);
    server.start();
    constexpr int kClients = 16;
    constexpr int kRequests = 25;
    std::atomic<int> good{0};
    std::vector<std::future<void>> clients;
    for (int c = 0; c < kClients; ++c) {
        clients.push_back(std::async(std::launch::async, [&, c] {
            BlockingClient client(server.port());
            for (int i = 0; i < kRequests; ++i) {
                const std::string target = "/c" + std::to_string(c) + "/" + std::to_string(i);
                const auto reply = client.request("GET", target);
                if (reply.status == 200 && reply.body == "GET " + target + " ") ++good;
            }
        }));
    }
    for (auto& client : clients) client.get();
    CHECK(good == kClients * kRequests);
}

TEST_CASE("stop() lets a request in flight finish, closes idle connections and refuses new ones", "[http]") {
    Gate gate;
    Server server(small_options(), [&](const Request& request) {
        if (request.path == "/slow") gate.enter_and_wait();
        return echo(request);
    });
    server.start();
    const auto port = server.port();
    BlockingClient idle(port);
    CHECK(idle.request("GET", "/warm").status == 200);
    BlockingClient busy(port);
    busy.send("GET", "/slow");
    gate.wait_entered();
    auto stopped = std::async(std::launch::async, [&] { server.stop(); });
    CHECK(idle.wait_closed());  // closed by stop while the slow request still runs
    gate.release();
    const auto reply = busy.read_reply();
    CHECK(reply.status == 200);
    CHECK(reply.body == "GET /slow ");
    CHECK(reply.header("Connection") == "close");
    CHECK(busy.wait_closed());
    stopped.get();
    CHECK(server.open_connections() == 0);
    CHECK_THROWS(BlockingClient(port));  // acceptor closed: connection refused
    server.stop();                        // idempotent
}

TEST_CASE("an idle connection is closed after idle_timeout_s", "[http]") {
    auto options = small_options();
    options.idle_timeout_s = 0.2;
    Server server(options, echo);
    server.start();
    BlockingClient client(server.port());
    CHECK(client.request("GET", "/x").status == 200);
    CHECK(client.wait_closed());
}

TEST_CASE("bad options and a taken port are clear errors", "[http]") {
    auto options = small_options();
    options.threads = 0;
    CHECK_THROWS_AS(Server(options, echo), std::invalid_argument);
    CHECK_THROWS_AS(Server(small_options(), Handler{}), std::invalid_argument);
    Server first(small_options(), echo);
    first.start();
    auto taken = small_options();
    taken.port = first.port();
    Server second(taken, echo);
    CHECK_THROWS_WITH(second.start(), Catch::Contains("cannot listen on 127.0.0.1:" + std::to_string(first.port())));
    auto bad = small_options();
    bad.address = "not-an-address";
    Server third(bad, echo);
    CHECK_THROWS_WITH(third.start(), Catch::Contains("invalid listen address"));
}
