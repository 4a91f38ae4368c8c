#include <catch2/catch.hpp>

#include <map>

#include "api_config.hpp"

using namespace archlab::real::api;

namespace {
Getenv env(std::map<std::string, std::string> values) {
    return [values](const std::string& name) -> std::optional<std::string> {
        const auto found = values.find(name);
        return found == values.end() ? std::nullopt : std::optional<std::string>(found->second);
    };
}
const std::vector<std::string> kRequired = {"--queue-url", "https://sqs/q.fifo", "--table-name", "jobs"};

// Required flags first, so a flag missing its value can be the last argument.
std::vector<std::string> with_required(const std::vector<std::string>& args) {
    std::vector<std::string> all = kRequired;
    all.insert(all.end(), args.begin(), args.end());
    return all;
}
}  // namespace

TEST_CASE("api config defaults", "[api]") {
    const auto config = std::get<ApiConfig>(parse_api_config(kRequired, env({})));
    CHECK(config.server.address == "127.0.0.1");
    CHECK(config.server.port == 3000);
    CHECK(config.server.threads == 16);
    CHECK(config.api.max_body_bytes == 64 * 1024);
    CHECK(config.api.max_code_bytes == 16 * 1024);
    CHECK(config.server.max_body_bytes == config.api.max_body_bytes);
    CHECK_FALSE(config.api.status_from_queue_peek);
    CHECK_FALSE(config.message_group.has_value());
    CHECK_FALSE(config.fake_backends);
    CHECK(config.queue_url == "https://sqs/q.fifo");
    CHECK(config.table_name == "jobs");
}

TEST_CASE("api config from flags, environment, flags win", "[api]") {
    const auto config = std::get<ApiConfig>(parse_api_config(
        {"--port", "0", "--address", "0.0.0.0", "--threads", "3", "--max-body-bytes", "1000", "--max-code-bytes",
         "500", "--status-from-queue-peek", "--message-group", "CodeSubmissionGroup", "--drain-delay-s", "0.5",
         "--table", "t2"},
        env({{"ARCHLAB_QUEUE_URL", "https://q"}, {"ARCHLAB_TABLE_NAME", "t1"}, {"ARCHLAB_API_THREADS", "7"},
             {"ARCHLAB_API_IDLE_TIMEOUT_S", "9"}})));
    CHECK(config.server.port == 0);
    CHECK(config.server.address == "0.0.0.0");
    CHECK(config.server.threads == 3);
    CHECK(config.server.idle_timeout_s == 9);
    CHECK(config.api.max_body_bytes == 1000);
    CHECK(config.server.max_body_bytes == 1000);
    CHECK(config.api.max_code_bytes == 500);
    CHECK(config.api.status_from_queue_peek);
    CHECK(config.message_group == "CodeSubmissionGroup");
    CHECK(config.drain_delay_s == 0.5);
    CHECK(config.queue_url == "https://q");
    CHECK(config.table_name == "t2");
    CHECK(std::get<ApiConfig>(parse_api_config(kRequired, env({{"ARCHLAB_API_STATUS_FROM_QUEUE_PEEK", "1"}})))
              .api.status_from_queue_peek);
}

TEST_CASE("the fake-backends switch needs no queue or table", "[api]") {
    const auto config = std::get<ApiConfig>(parse_api_config({"--fake-backends", "--port", "0"}, env({})));
    CHECK(config.fake_backends);
    CHECK(std::get<ApiConfig>(parse_api_config({"--help"}, env({}))).show_help);
}

TEST_CASE("api config errors are clear", "[api]") {
    const auto error = [](std::vector<std::string> args, std::map<std::string, std::string> vars = {}) {
        const auto parsed = parse_api_config(args, env(std::move(vars)));
        REQUIRE(std::holds_alternative<std::string>(parsed));
        return std::get<std::string>(parsed);
    };
    CHECK(error({}) == "no queue URL: give --queue-url or ARCHLAB_QUEUE_URL (or --fake-backends)");
    CHECK(error({"--queue-url", "q"}).find("no table name") == 0);
    CHECK(error(with_required({"--bogus"})) == "unknown argument --bogus");
    CHECK(error(with_required({"--port"})) == "--port needs a value");
    CHECK(error(with_required({"--port", "70000"})) == "--port: bad value '70000'");
    CHECK(error(with_required({"--port", "-1"})) == "--port: bad value '-1'");
    CHECK(error(with_required({"--threads", "0"})) == "threads must be 1..1024");
    CHECK(error(with_required({"--threads", "x"})) == "--threads: bad value 'x'");
    CHECK(error(with_required({"--max-code-bytes", "100000"})).find("cannot exceed max_body_bytes") !=
          std::string::npos);
    CHECK(error(with_required({"--idle-timeout-s", "0"})) == "idle_timeout_s must be > 0");
    CHECK(error(with_required({"--drain-delay-s", "nan"})) == "--drain-delay-s: bad value 'nan'");
    CHECK(error(kRequired, {{"ARCHLAB_API_PORT", "http"}}) == "ARCHLAB_API_PORT: bad value 'http'");
    CHECK(error(kRequired, {{"ARCHLAB_API_STATUS_FROM_QUEUE_PEEK", "maybe"}}) ==
          "ARCHLAB_API_STATUS_FROM_QUEUE_PEEK: bad value 'maybe'");
    CHECK(api_usage().find("--status-from-queue-peek") != std::string::npos);
}
