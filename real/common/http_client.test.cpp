#include <catch2/catch.hpp>

#include <chrono>

#include "fake_http_server.hpp"
#include "http_client.hpp"

using namespace archlab::real;
using namespace archlab::real::testing;

TEST_CASE("http client: sends method, target, headers and body and returns status, headers, body", "[http]") {
    FakeHttpServer server([](const RecordedRequest&) {
        return CannedResponse{.status = 201, .headers = {{"X-Answer", "42"}}, .body = std::string("a\0b", 3)};
    });
    HttpClient client(server.base_url());
    const auto response = client.send({.method = "PUT", .target = "/x/y?q=1",
                                       .headers = {{"X-One", "1"}, {"X-Empty", ""}}, .body = "hello"});
    CHECK(response.status == 201);
    CHECK(response.body == std::string("a\0b", 3));
    CHECK(response.header("x-answer") == "42");
    CHECK_FALSE(response.header("X-Missing").has_value());

    const auto requests = server.requests();
    REQUIRE(requests.size() == 1);
    CHECK(requests[0].method == "PUT");
    CHECK(requests[0].target == "/x/y?q=1");
    CHECK(requests[0].body == "hello");
    CHECK(requests[0].header("X-One") == "1");
    CHECK(requests[0].header("X-Empty") == "");
    // curl's own defaults that would confuse a server are suppressed.
    CHECK_FALSE(requests[0].header("Expect").has_value());
    CHECK_FALSE(requests[0].header("Content-Type").has_value());
}

TEST_CASE("http client: 4xx and 5xx are responses, not exceptions", "[http]") {
    FakeHttpServer server([](const RecordedRequest&) { return CannedResponse{.status = 503, .body = "busy"}; });
    HttpClient client(server.base_url());
    const auto response = client.send({.method = "GET", .target = "/", .headers = {}, .body = {}});
    CHECK(response.status == 503);
    CHECK(response.body == "busy");
}

TEST_CASE("http client: one handle keeps the connection alive across requests", "[http]") {
    FakeHttpServer server([](const RecordedRequest&) { return CannedResponse{.body = "ok"}; });
    HttpClient client(server.base_url());
    const std::string big(200000, 'x');  // large POST body: no Expect: 100-continue round trip
    for (int i = 0; i < 5; ++i) {
        CHECK(client.send({.method = i % 2 ? "GET" : "POST", .target = "/", .headers = {}, .body = i % 2 ? "" : big})
                  .status == 200);
    }
    CHECK(server.requests().size() == 5);
    CHECK(server.requests()[0].body.size() == big.size());
    CHECK(server.connections_accepted() == 1);
}

TEST_CASE("http client: a slow server hits the total timeout", "[http]") {
    FakeHttpServer server([](const RecordedRequest&) {
        return CannedResponse{.body = "late", .delay = std::chrono::milliseconds(1500)};
    });
    HttpClient client(server.base_url(), {.connect_timeout_s = 1.0, .timeout_s = 0.3});
    const auto start = std::chrono::steady_clock::now();
    try {
        client.send({.method = "GET", .target = "/slow", .headers = {}, .body = {}});
        FAIL("expected a timeout");
    } catch (const TransportError& error) {
        CHECK(error.timed_out);
        CHECK(error.url == server.base_url() + "/slow");
        CHECK_THAT(error.what(), Catch::Contains("GET " + server.base_url() + "/slow"));
    }
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::milliseconds(1200));
    // The per-call override lets a long poll wait longer than the default.
    CHECK(client.send({.method = "GET", .target = "/slow", .headers = {}, .body = {}}, 3.0).body == "late");
}

TEST_CASE("http client: a refused connection is a TransportError naming the URL", "[http]") {
    int port = 0;
    {
        FakeHttpServer server([](const RecordedRequest&) { return CannedResponse{}; });
        port = server.port();
    }  // closed: nothing listens on the port any more
    const std::string url = "http://127.0.0.1:" + std::to_string(port);
    HttpClient client(url, {.connect_timeout_s = 1.0, .timeout_s = 1.0});
    try {
        client.send({.method = "GET", .target = "/", .headers = {}, .body = {}});
        FAIL("expected a transport error");
    } catch (const TransportError& error) {
        CHECK_FALSE(error.timed_out);
        CHECK_THAT(error.what(), Catch::Contains(url));
    }
}
