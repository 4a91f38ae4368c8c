#include <catch2/catch.hpp>

#include "jsrun_args.hpp"

using namespace archlab::real;

namespace {
std::string error_of(const std::vector<std::string>& args) {
    const auto parsed = parse_jsrun_args(args);
    return std::holds_alternative<std::string>(parsed) ? std::get<std::string>(parsed) : "";
}
}  // namespace

TEST_CASE("jsrun reads stdin with default limits when given nothing", "[sandbox]") {
    const auto options = std::get<JsrunOptions>(parse_jsrun_args({}));
    CHECK(options.code_path == "-");
    CHECK(options.limits.cpu_timeout_s == SandboxLimits{}.cpu_timeout_s);
}

TEST_CASE("jsrun takes every limit and a file", "[sandbox]") {
    const auto options = std::get<JsrunOptions>(parse_jsrun_args(
        {"--cpu-timeout-s", "0.5", "--wall-timeout-s", "1.5", "--memory-bytes", "2097152",
         "--output-bytes", "100", "job.js"}));
    CHECK(options.limits.cpu_timeout_s == 0.5);
    CHECK(options.limits.wall_timeout_s == 1.5);
    CHECK(options.limits.memory_bytes == 2097152);
    CHECK(options.limits.output_bytes == 100);
    CHECK(options.code_path == "job.js");
}

TEST_CASE("jsrun explains bad flags", "[sandbox]") {
    CHECK_THAT(error_of({"--cpu-timeout-s"}), Catch::Contains("needs a value"));
    CHECK_THAT(error_of({"--memory-bytes", "64M"}), Catch::Contains("not a number"));
    CHECK_THAT(error_of({"--memory-bytes", "-5"}), Catch::Contains("not a number"));
    CHECK_THAT(error_of({"--wall-timeout-s", "nan"}), Catch::Contains("not a number"));
    CHECK_THAT(error_of({"--verbose"}), Catch::Contains("unknown option"));
    CHECK_THAT(error_of({"a.js", "b.js"}), Catch::Contains("only one FILE"));
    CHECK_THAT(error_of({"--cpu-timeout-s", "0"}), Catch::Contains("cpu_timeout_s"));
}
