#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <set>

#include "api_decisions.hpp"
#include "uuid.hpp"

using namespace archlab::real;
using namespace archlab::real::api;

TEST_CASE("match_route knows the three routes and their methods", "[api]") {
    CHECK(match_route("/submit-code").route == Route::submit_code);
    CHECK(match_route("/health").route == Route::health);
    const auto status = match_route("/check-status/abc");
    CHECK(status.route == Route::check_status);
    CHECK(status.execution_id == "abc");
    CHECK(match_route("/check-status/").execution_id.empty());
    CHECK(match_route("/check-status").route == Route::not_found);
    CHECK(match_route("/Submit-Code").route == Route::not_found);
    CHECK(method_allowed(match_route("/submit-code"), "POST"));
    CHECK_FALSE(method_allowed(match_route("/submit-code"), "GET"));
    CHECK(method_allowed(match_route("/health"), "OPTIONS"));
    CHECK_FALSE(method_allowed(match_route("/health"), "HEAD"));
    CHECK_FALSE(method_allowed(match_route("/x"), "GET"));
}

TEST_CASE("is_uuid_shape accepts 8-4-4-4-12 hex only", "[api]") {
    CHECK(is_uuid_shape("123e4567-e89b-42d3-a456-426614174000"));
    CHECK(is_uuid_shape("123E4567-E89B-42D3-A456-426614174000"));
    CHECK_FALSE(is_uuid_shape("123e4567-e89b-42d3-a456-42661417400"));
    CHECK_FALSE(is_uuid_shape("123e4567xe89b-42d3-a456-426614174000"));
    CHECK_FALSE(is_uuid_shape("123e4567-e89b-42d3-a456-42661417400z"));
    CHECK_FALSE(is_uuid_shape(""));
}

TEST_CASE("is_json_content_type", "[api]") {
    CHECK(is_json_content_type(std::nullopt));
    CHECK(is_json_content_type("application/json"));
    CHECK(is_json_content_type(" Application/JSON ; charset=utf-8"));
    CHECK(is_json_content_type("application/vnd.api+json"));
    CHECK_FALSE(is_json_content_type("text/plain"));
    CHECK_FALSE(is_json_content_type("application/x-www-form-urlencoded"));
    CHECK_FALSE(is_json_content_type(""));
}

TEST_CASE("parse_submit_body accepts {code: string} within the limits", "[api]") {
    const Limits limits{100, 10};
    CHECK(std::get<std::string>(parse_submit_body(R"({"code":"1+1","extra":1})", limits)) == "1+1");
    CHECK(std::get<std::string>(parse_submit_body(R"({"code":""})", limits)).empty());
    // The code limit counts decoded bytes: "\u00e9" is 6 bytes of JSON, 2 of UTF-8.
    CHECK(std::get<std::string>(parse_submit_body(R"({"code":"\u00e9\u00e9\u00e9\u00e9\u00e9"})", limits)).size() == 10);
    const auto over = std::get<http::Response>(parse_submit_body(R"({"code":"\u00e9\u00e9\u00e9\u00e9\u00e9x"})", limits));
    CHECK(over.status == 413);
    CHECK(over.body.find("code is 11 bytes; the limit is max_code_bytes = 10") != std::string::npos);
    CHECK(std::get<http::Response>(parse_submit_body("{\"code\":\"\xff\"}", limits)).status == 400);
}

TEST_CASE("status_document carries timing only when present and survives bad UTF-8", "[api]") {
    JobRecord job{"id", "code", JobStatus::failed, "bad \xff byte", 5, std::nullopt, 9};
    const auto document = nlohmann::json::parse(status_document(job));
    CHECK(document.at("status") == "failed");
    CHECK(document.at("submitted_at_ms") == 5);
    CHECK_FALSE(document.contains("started_at_ms"));
    CHECK(document.at("finished_at_ms") == 9);
    CHECK(document.at("result") == "bad \xef\xbf\xbd byte");
    CHECK(nlohmann::json::parse(pending_document()) == nlohmann::json{{"status", "pending"}, {"result", ""}});
}

TEST_CASE("uuid_v4_from_bytes sets version and variant", "[api]") {
    std::array<std::uint8_t, 16> bytes{};
    bytes.fill(0xff);
    CHECK(uuid_v4_from_bytes(bytes) == "ffffffff-ffff-4fff-bfff-ffffffffffff");
    bytes.fill(0x00);
    CHECK(uuid_v4_from_bytes(bytes) == "00000000-0000-4000-8000-000000000000");
    std::set<std::string> seen;
    for (int i = 0; i < 1000; ++i) {
        const auto id = random_uuid_v4();
        CHECK(is_uuid_shape(id));
        CHECK(id[14] == '4');
        CHECK(std::string("89ab").find(id[19]) != std::string::npos);
        seen.insert(id);
    }
    CHECK(seen.size() == 1000);
}
