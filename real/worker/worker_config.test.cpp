#include <catch2/catch.hpp>

#include <map>

#include "worker_config.hpp"

using namespace archlab::real;

namespace {

Getenv env_of(std::map<std::string, std::string> values) {
    return [values](const std::string& name) -> std::optional<std::string> {
        const auto found = values.find(name);
        return found == values.end() ? std::nullopt : std::optional<std::string>(found->second);
    };
}

const std::map<std::string, std::string> kRequired = {
    {"ARCHLAB_QUEUE_URL", "https://sqs.eu-north-1.amazonaws.com/1/jobs.fifo"},
    {"ARCHLAB_TABLE_NAME", "code"}};

std::string error_of(const std::vector<std::string>& args,
                     const std::map<std::string, std::string>& env = kRequired) {
    const auto parsed = parse_worker_config(args, env_of(env));
    return std::holds_alternative<std::string>(parsed) ? std::get<std::string>(parsed) : "";
}

}  // namespace

TEST_CASE("worker config defaults: one sandbox, 20 s long poll", "[worker]") {
    const auto config = std::get<WorkerConfig>(parse_worker_config({}, env_of(kRequired)));
    CHECK(config.queue_url == kRequired.at("ARCHLAB_QUEUE_URL"));
    CHECK(config.table_name == "code");
    CHECK(config.concurrency == 1);
    CHECK(config.settings.wait_time_s == 20);
    CHECK(config.settings.wall_timeout_s == config.limits.wall_timeout_s);
}

TEST_CASE("worker config: flags win over the environment", "[worker]") {
    auto env = kRequired;
    env["ARCHLAB_CONCURRENCY"] = "2";
    env["ARCHLAB_WALL_TIMEOUT_S"] = "5";
    const auto config = std::get<WorkerConfig>(parse_worker_config(
        {"--concurrency", "4", "--table-name", "jobs", "--visibility-timeout-s", "60",
         "--memory-bytes", "33554432"},
        env_of(env)));
    CHECK(config.concurrency == 4);
    CHECK(config.table_name == "jobs");
    CHECK(config.settings.visibility_timeout_s == 60);
    CHECK(config.limits.memory_bytes == 33554432);
    CHECK(config.limits.wall_timeout_s == 5.0);
    CHECK(config.settings.wall_timeout_s == 5.0);  // the heartbeat plan sees the sandbox's limit
}

TEST_CASE("worker config takes the local stack's --table and ARCHLAB_TABLE", "[worker]") {
    const std::map<std::string, std::string> env = {{"ARCHLAB_QUEUE_URL", "q"}, {"ARCHLAB_TABLE", "t1"}};
    CHECK(std::get<WorkerConfig>(parse_worker_config({}, env_of(env))).table_name == "t1");
    CHECK(std::get<WorkerConfig>(parse_worker_config({"--table", "t2"}, env_of(env))).table_name == "t2");
    auto both = env;
    both["ARCHLAB_TABLE_NAME"] = "t3";
    CHECK(std::get<WorkerConfig>(parse_worker_config({}, env_of(both))).table_name == "t3");
}

TEST_CASE("worker config explains what is wrong", "[worker]") {
    CHECK_THAT(error_of({}, {}), Catch::Contains("ARCHLAB_QUEUE_URL"));
    CHECK_THAT(error_of({}, {{"ARCHLAB_QUEUE_URL", "q"}}), Catch::Contains("ARCHLAB_TABLE_NAME"));
    CHECK_THAT(error_of({"--concurrency", "0"}), Catch::Contains("concurrency"));
    CHECK_THAT(error_of({"--concurrency", "two"}), Catch::Contains("bad value 'two'"));
    CHECK_THAT(error_of({"--wait-time-s", "21"}), Catch::Contains("wait_time_s"));
    CHECK_THAT(error_of({"--cpu-timeout-s", "-1"}), Catch::Contains("cpu_timeout_s"));
    CHECK_THAT(error_of({"--queue-url"}), Catch::Contains("needs a value"));
    CHECK_THAT(error_of({"--verbose"}), Catch::Contains("unknown argument"));
    auto env = kRequired;
    env["ARCHLAB_MEMORY_BYTES"] = "lots";
    CHECK_THAT(error_of({}, env), Catch::Contains("ARCHLAB_MEMORY_BYTES"));
}
