#include <catch2/catch.hpp>

#include "http_message.hpp"

using namespace archlab::real::http;

TEST_CASE("split_target separates path and query", "[http]") {
    CHECK(split_target("/a/b?x=1&y=2") == std::pair<std::string, std::string>{"/a/b", "x=1&y=2"});
    CHECK(split_target("/a") == std::pair<std::string, std::string>{"/a", ""});
    CHECK(split_target("/a?") == std::pair<std::string, std::string>{"/a", ""});
    CHECK(split_target("/a?b?c") == std::pair<std::string, std::string>{"/a", "b?c"});
}

TEST_CASE("Request::header looks names up case-insensitively, first wins", "[http]") {
    Request request;
    request.headers = {{"Content-Type", "application/json"}, {"X-A", "1"}, {"x-a", "2"}};
    CHECK(request.header("content-type") == "application/json");
    CHECK(request.header("X-A") == "1");
    CHECK_FALSE(request.header("missing").has_value());
}

TEST_CASE("json_escape escapes quotes, backslashes and control characters", "[http]") {
    CHECK(json_escape(R"(a"b\c)") == R"(a\"b\\c)");
    CHECK(json_escape("line\nnext\ttab") == "line\\nnext\\ttab");
    CHECK(json_escape(std::string("\x01", 1)) == "\\u0001");
    CHECK(json_escape("h\xc3\xa9") == "h\xc3\xa9");  // UTF-8 passes through
}

TEST_CASE("json_error gives a JSON body with the status", "[http]") {
    const auto response = json_error(404, "no \"such\" thing");
    CHECK(response.status == 404);
    CHECK(response.content_type == "application/json");
    CHECK(response.body == R"({"error":"no \"such\" thing"})");
}

TEST_CASE("read failures map to 413, 431 and 400 naming the limit", "[http]") {
    const auto big = response_for_read_failure(ReadFailure::body_too_large, 100, 200);
    CHECK(big.status == 413);
    CHECK(big.body.find("max_body_bytes = 100") != std::string::npos);
    const auto headers = response_for_read_failure(ReadFailure::headers_too_large, 100, 200);
    CHECK(headers.status == 431);
    CHECK(headers.body.find("max_header_bytes = 200") != std::string::npos);
    CHECK(response_for_read_failure(ReadFailure::malformed, 100, 200).status == 400);
    const auto thrown = response_for_handler_exception();
    CHECK(thrown.status == 500);
    CHECK(thrown.body == R"({"error":"internal server error"})");
}
