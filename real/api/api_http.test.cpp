// ApiService behind the real server on 127.0.0.1, through a blocking client:
// what a browser or load balancer sees on the wire.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "api_service.hpp"
#include "blocking_client.hpp"
#include "http_server.hpp"
#include "in_memory_ports.hpp"

using namespace archlab::real;
using archlab::real::http::testing::BlockingClient;

namespace {
struct Running {
    api::InMemoryJobTable table;
    api::InMemoryJobQueue queue;
    api::ApiService service{table, queue};
    http::Server server;
    explicit Running(http::Options options = {})
        : server(options, [this](const http::Request& request) { return service.handle(request); }) {
        server.start();
    }
};
constexpr const char* kJson = "Content-Type: application/json";
}  // namespace

TEST_CASE("submit then check status over HTTP on one keep-alive connection", "[api]") {
    Running api;
    BlockingClient client(api.server.port());
    const auto submitted = client.request("POST", "/submit-code", R"({"code":"1+1"})", kJson);
    REQUIRE(submitted.status == 200);
    CHECK(submitted.header("Access-Control-Allow-Origin") == "*");
    const std::string id = nlohmann::json::parse(submitted.body).at("executionId");
    const auto status = client.request("GET", "/check-status/" + id);
    CHECK(status.status == 200);
    CHECK(nlohmann::json::parse(status.body).at("status") == "pending");
    api.table.finish_if_pending(id, JobStatus::executed, "2", 1, 2);
    CHECK(nlohmann::json::parse(client.request("GET", "/check-status/" + id).body).at("result") == "2");
    CHECK(client.request("GET", "/health").body == R"({"status":"ok"})");
    const auto preflight = client.request("OPTIONS", "/submit-code", "", "Access-Control-Request-Method: POST");
    CHECK(preflight.status == 204);
    CHECK(preflight.header("Access-Control-Allow-Methods") == "POST, OPTIONS");
}

TEST_CASE("a body over the server limit is refused with 413 before the service sees it", "[api]") {
    http::Options options;
    options.max_body_bytes = api::ApiOptions{}.max_body_bytes;
    Running api(options);
    BlockingClient client(api.server.port());
    const auto reply = client.request("POST", "/submit-code", std::string(70 * 1024, 'x'), kJson);
    CHECK(reply.status == 413);
    CHECK(reply.body.find("max_body_bytes = 65536") != std::string::npos);
    CHECK(api.table.size() == 0);
}

TEST_CASE("health turns 503 while draining, over HTTP", "[api]") {
    Running api;
    BlockingClient client(api.server.port());
    api.service.set_draining(true);
    const auto reply = client.request("GET", "/health");
    CHECK(reply.status == 503);
    CHECK(reply.body == R"({"status":"draining"})");
}
