// ApiService over in-memory ports: every route, every error, injected backend
// failures. No sockets: requests are built by hand.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "api_service.hpp"
#include "in_memory_ports.hpp"

using namespace archlab::real;
using namespace archlab::real::api;
using nlohmann::json;

namespace {
constexpr const char* kId = "123e4567-e89b-42d3-a456-426614174000";

struct Fixture {
    InMemoryJobTable table;
    InMemoryJobQueue queue;
    std::int64_t now = 1'700'000'000'000;
    int ids = 0;
    ApiOptions options;
    ApiService make() {
        return ApiService(table, queue, options, [this] { return now; },
                          [this] { return "00000000-0000-4000-8000-" + std::string(11, '0') + std::to_string(++ids % 10); });
    }
};

http::Request request(std::string method, std::string path, std::string body = {},
                      http::Headers headers = {{"Content-Type", "application/json"}}) {
    http::Request r;
    r.method = std::move(method);
    r.target = path;
    r.path = std::move(path);
    r.body = std::move(body);
    r.headers = std::move(headers);
    return r;
}

std::optional<std::string> header(const http::Response& response, std::string_view name) {
    for (const auto& [key, value] : response.headers)
        if (http::iequals(key, name)) return value;
    return std::nullopt;
}

json body(const http::Response& response) { return json::parse(response.body); }
}  // namespace

TEST_CASE("submit writes a pending row, then queues the id, like the seed", "[api]") {
    Fixture f;
    auto service = f.make();
    const auto response = service.handle(request("POST", "/submit-code", R"({"code":"1+1"})"));
    REQUIRE(response.status == 200);
    CHECK(response.content_type == "application/json");
    CHECK(header(response, "Access-Control-Allow-Origin") == "*");
    const auto answer = body(response);
    const std::string id = answer.at("executionId");
    CHECK(id == "00000000-0000-4000-8000-000000000001");
    CHECK(answer.at("message") == "Code submitted successfully");
    const auto row = f.table.get(id);
    REQUIRE(row.has_value());
    CHECK(row->code == "1+1");
    CHECK(row->status == JobStatus::pending);
    CHECK(row->result.empty());
    CHECK(row->submitted_at_ms == f.now);
    CHECK_FALSE(row->started_at_ms.has_value());
    CHECK(f.queue.ready_ids() == std::vector<std::string>{id});
}

TEST_CASE("the default id generator gives distinct UUID v4s", "[api]") {
    InMemoryJobTable table;
    InMemoryJobQueue queue;
    ApiService service(table, queue);
    const auto a = body(service.handle(request("POST", "/submit-code", R"({"code":"1"})"))).at("executionId");
    const auto b = body(service.handle(request("POST", "/submit-code", R"({"code":"2"})"))).at("executionId");
    CHECK(a != b);
    CHECK(is_uuid_shape(a.get<std::string>()));
    CHECK(a.get<std::string>()[14] == '4');
}

TEST_CASE("submit rejects bad bodies with 4xx JSON naming the problem", "[api]") {
    Fixture f;
    f.options.max_body_bytes = 100;
    f.options.max_code_bytes = 10;
    auto service = f.make();
    struct Case { std::string body; int status; std::string says; };
    for (const Case& c : {Case{"not json", 400, "not valid JSON"}, Case{"[1,2]", 400, "JSON object"},
                          Case{"{}", 400, "missing field \\\"code\\\""}, Case{R"({"code": 5})", 400, "must be a string"},
                          Case{R"({"code": null})", 400, "must be a string"},
                          Case{R"({"code":"12345678901"})", 413, "max_code_bytes = 10"},
                          Case{std::string(101, ' '), 413, "max_body_bytes = 100"}, Case{"", 400, "not valid JSON"}}) {
        CAPTURE(c.body);
        const auto response = service.handle(request("POST", "/submit-code", c.body));
        CHECK(response.status == c.status);
        CHECK(response.body.find(c.says) != std::string::npos);
        CHECK(header(response, "Access-Control-Allow-Origin") == "*");
    }
    CHECK(f.table.size() == 0);
    CHECK(f.queue.ready_ids().empty());
    CHECK(service.handle(request("POST", "/submit-code", R"({"code":"1234567890"})")).status == 200);
}

TEST_CASE("submit wants JSON: 415 for other content types, missing is tolerated", "[api]") {
    Fixture f;
    auto service = f.make();
    const auto form = service.handle(request("POST", "/submit-code", R"({"code":"1"})",
                                             {{"Content-Type", "application/x-www-form-urlencoded"}}));
    CHECK(form.status == 415);
    CHECK(body(form).at("error").get<std::string>().find("application/json") != std::string::npos);
    CHECK(service.handle(request("POST", "/submit-code", R"({"code":"1"})", {})).status == 200);
    CHECK(service.handle(request("POST", "/submit-code", R"({"code":"1"})",
                                 {{"content-type", "Application/JSON; charset=utf-8"}}))
              .status == 200);
}

TEST_CASE("submit: a table failure is a 500 and nothing is queued", "[api]") {
    Fixture f;
    auto service = f.make();
    f.table.fail_creates = 1;
    const auto response = service.handle(request("POST", "/submit-code", R"({"code":"1"})"));
    CHECK(response.status == 500);
    CHECK(body(response).at("error") == "Failed to submit code: could not record the job");
    CHECK(body(response).at("detail").get<std::string>().find("injected") != std::string::npos);
    CHECK(f.queue.ready_ids().empty());
}

TEST_CASE("submit: a queue failure after the row is written is a 500 and the row is marked failed", "[api]") {
    Fixture f;
    auto service = f.make();
    f.queue.fail_sends = 1;
    const auto response = service.handle(request("POST", "/submit-code", R"({"code":"1"})"));
    CHECK(response.status == 500);
    const auto answer = body(response);
    CHECK(answer.at("error") == "Failed to submit code: the job was recorded but could not be queued");
    CHECK(answer.at("jobStatus") == "failed");
    const std::string id = answer.at("executionId");
    const auto row = f.table.get(id);
    REQUIRE(row.has_value());
    CHECK(row->status == JobStatus::failed);
    CHECK(row->result.find("could not be queued") != std::string::npos);
    CHECK(row->finished_at_ms == f.now);
    // The client polling that id gets a final answer, not pending forever.
    const auto status = body(service.handle(request("GET", "/check-status/" + id)));
    CHECK(status.at("status") == "failed");

    SECTION("if marking it failed fails too, the answer says the row stays pending") {
        f.queue.fail_sends = 1;
        f.table.fail_finishes = 1;
        const auto again = body(service.handle(request("POST", "/submit-code", R"({"code":"2"})")));
        CHECK(again.at("jobStatus") == "pending");
        CHECK(f.table.get(again.at("executionId"))->status == JobStatus::pending);
    }
}

TEST_CASE("check-status answers from the table with timing fields", "[api]") {
    Fixture f;
    auto service = f.make();
    f.table.create({kId, "1+1", JobStatus::pending, "", 1000, std::nullopt, std::nullopt});
    auto pending = body(service.handle(request("GET", std::string("/check-status/") + kId)));
    CHECK(pending == json{{"executionId", kId}, {"status", "pending"}, {"result", ""}, {"submitted_at_ms", 1000}});
    f.table.finish_if_pending(kId, JobStatus::executed, "2", 1500, 1600);
    const auto done = service.handle(request("GET", std::string("/check-status/") + kId));
    CHECK(done.status == 200);
    CHECK(header(done, "Access-Control-Allow-Origin") == "*");
    CHECK(body(done) == json{{"executionId", kId}, {"status", "Executed"}, {"result", "2"}, {"submitted_at_ms", 1000},
                             {"started_at_ms", 1500}, {"finished_at_ms", 1600}});
    CHECK(f.queue.peek_calls == 0);  // the table alone answers by default
}

TEST_CASE("check-status: 404 for an unknown id, 400 for a malformed one, 500 on backend failure", "[api]") {
    Fixture f;
    auto service = f.make();
    const auto missing = service.handle(request("GET", std::string("/check-status/") + kId));
    CHECK(missing.status == 404);
    CHECK(body(missing) == json{{"error", "Execution ID not found"}});
    for (const std::string bad : {"abc", "123e4567-e89b-42d3-a456-42661417400", "123e4567e89b42d3a456426614174000ab",
                                  "123e4567-e89b-42d3-a456-42661417400g", "../../etc/passwd", ""}) {
        CAPTURE(bad);
        const auto response = service.handle(request("GET", "/check-status/" + bad));
        CHECK(response.status == 400);
        CHECK(body(response).contains("error"));
    }
    f.table.fail_gets = 1;
    const auto failed = service.handle(request("GET", std::string("/check-status/") + kId));
    CHECK(failed.status == 500);
    CHECK(body(failed).at("error") == "Failed to check status");
}

TEST_CASE("status_from_queue_peek: an id still in the queue is pending without a table read", "[api]") {
    Fixture f;
    f.options.status_from_queue_peek = true;
    auto service = f.make();
    const std::string id = body(service.handle(request("POST", "/submit-code", R"({"code":"1"})"))).at("executionId");
    f.table.fail_gets = 1;  // proves the table is not read
    const auto peeked = service.handle(request("GET", "/check-status/" + id));
    CHECK(peeked.status == 200);
    CHECK(body(peeked) == json{{"status", "pending"}, {"result", ""}});
    CHECK(f.queue.peek_calls == 1);
    f.table.fail_gets = 0;
    // Once received by a worker the id is gone from the peek: the table answers.
    f.queue.receive(10, 0);
    CHECK(body(service.handle(request("GET", "/check-status/" + id))).at("submitted_at_ms") == f.now);
    f.queue.fail_peeks = 1;
    CHECK(service.handle(request("GET", "/check-status/" + id)).status == 500);
}

TEST_CASE("health is 200 ok, 503 while draining", "[api]") {
    Fixture f;
    auto service = f.make();
    const auto ok = service.handle(request("GET", "/health"));
    CHECK(ok.status == 200);
    CHECK(body(ok) == json{{"status", "ok"}});
    service.set_draining(true);
    const auto draining = service.handle(request("GET", "/health"));
    CHECK(draining.status == 503);
    CHECK(body(draining) == json{{"status", "draining"}});
    CHECK(service.handle(request("POST", "/submit-code", R"({"code":"1"})")).status == 200);  // still served
}

TEST_CASE("unknown paths are 404, wrong methods 405 with Allow", "[api]") {
    Fixture f;
    auto service = f.make();
    for (const std::string path : {"/", "/nope", "/check-status", "/submit-code/", "/health/x"}) {
        CAPTURE(path);
        const auto response = service.handle(request("GET", path));
        CHECK(response.status == 404);
        CHECK(header(response, "Access-Control-Allow-Origin") == "*");
    }
    const auto get_submit = service.handle(request("GET", "/submit-code"));
    CHECK(get_submit.status == 405);
    CHECK(header(get_submit, "Allow") == "POST, OPTIONS");
    CHECK(body(get_submit).at("error").get<std::string>().find("GET") != std::string::npos);
    CHECK(header(service.handle(request("POST", "/health")), "Allow") == "GET, OPTIONS");
    CHECK(service.handle(request("DELETE", std::string("/check-status/") + kId)).status == 405);
    CHECK(f.table.size() == 0);
}

TEST_CASE("OPTIONS preflight answers 204 with CORS headers", "[api]") {
    Fixture f;
    auto service = f.make();
    const auto response = service.handle(request("OPTIONS", "/submit-code", "",
                                                 {{"Origin", "https://example.com"},
                                                  {"Access-Control-Request-Method", "POST"},
                                                  {"Access-Control-Request-Headers", "content-type,x-extra"}}));
    CHECK(response.status == 204);
    CHECK(response.body.empty());
    CHECK(header(response, "Access-Control-Allow-Origin") == "*");
    CHECK(header(response, "Access-Control-Allow-Methods") == "POST, OPTIONS");
    CHECK(header(response, "Access-Control-Allow-Headers") == "content-type,x-extra");
    CHECK(service.handle(request("OPTIONS", std::string("/check-status/") + kId)).status == 204);
    CHECK(service.handle(request("OPTIONS", "/nowhere")).status == 404);
    CHECK(f.table.size() == 0);
}

TEST_CASE("ApiService rejects impossible options", "[api]") {
    InMemoryJobTable table;
    InMemoryJobQueue queue;
    ApiOptions options;
    options.peek_max_messages = 11;
    CHECK_THROWS_AS(ApiService(table, queue, options), std::invalid_argument);
    options = {};
    options.max_code_bytes = 0;
    CHECK_THROWS_AS(ApiService(table, queue, options), std::invalid_argument);
}
