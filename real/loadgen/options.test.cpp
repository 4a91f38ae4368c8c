#include <catch2/catch.hpp>

#include "options.hpp"

using namespace archlab::loadgen;

namespace {

ParsedOptions parse(std::vector<std::string> extra)
{
  std::vector<std::string> args = {"--url", "http://127.0.0.1:8080/", "--rate-per-s", "5", "--duration-s", "20"};
  args.insert(args.end(), extra.begin(), extra.end());
  return parse_options(args);
}

}  // namespace

TEST_CASE("options: defaults follow the seed's browser", "[loadgen]")
{
  auto parsed = parse({});
  REQUIRE(parsed.options);
  const auto& options = *parsed.options;
  CHECK(options.url == "http://127.0.0.1:8080");  // trailing slash dropped
  CHECK(options.rate_per_s == 5);
  CHECK(options.duration_s == 20);
  CHECK(options.poll_interval_s == 5);
  CHECK(options.arrivals == Spacing::poisson);
  CHECK(options.code == "1+1");
  CHECK_FALSE(options.code_file);
  CHECK_FALSE(options.verify);
}

TEST_CASE("options: every flag is read", "[loadgen]")
{
  auto parsed = parse({"--arrivals", "fixed", "--seed", "42", "--poll-interval-s", "0.2", "--give-up-s", "30",
                       "--max-connections", "8", "--request-timeout-s", "2.5", "--code-file", "job.js", "--verify",
                       "--progress"});
  REQUIRE(parsed.options);
  const auto& options = *parsed.options;
  CHECK(options.arrivals == Spacing::fixed);
  CHECK(options.seed == 42);
  CHECK(options.poll_interval_s == 0.2);
  CHECK(options.give_up_s == 30);
  CHECK(options.max_connections == 8);
  CHECK(options.request_timeout_s == 2.5);
  CHECK(options.code_file == "job.js");
  CHECK(options.verify);
  CHECK(options.progress);
}

TEST_CASE("options: bad flags exit 2 with a message naming the flag", "[loadgen]")
{
  auto expect_error = [](std::vector<std::string> args, const std::string& fragment) {
    auto parsed = parse_options(args);
    CHECK_FALSE(parsed.options);
    CHECK(parsed.exit_code == 2);
    CHECK_THAT(parsed.message, Catch::Contains(fragment));
  };
  std::vector<std::string> base = {"--url", "http://h:1", "--rate-per-s", "5", "--duration-s", "20"};
  auto with = [&](std::vector<std::string> extra) {
    auto args = base;
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  };
  expect_error({"--rate-per-s", "5", "--duration-s", "20"}, "--url");
  expect_error({"--url", "127.0.0.1:1", "--rate-per-s", "5", "--duration-s", "20"}, "http://");
  expect_error(with({"--rate-per-s", "0"}), "--rate-per-s");
  expect_error(with({"--rate-per-s", "fast"}), "rate-per-s");
  expect_error(with({"--duration-s", "-1"}), "--duration-s");
  expect_error(with({"--arrivals", "uniform"}), "--arrivals");
  expect_error(with({"--poll-interval-s", "0"}), "--poll-interval-s");
  expect_error(with({"--max-connections", "0"}), "--max-connections");
  expect_error(with({"--request-timeout-s", "0"}), "--request-timeout-s");
  expect_error(with({"--code", "1", "--code-file", "f.js"}), "code");
  expect_error(with({"--no-such-flag"}), "no-such-flag");
}

TEST_CASE("options: --help exits 0 with the usage", "[loadgen]")
{
  auto parsed = parse_options({"--help"});
  CHECK_FALSE(parsed.options);
  CHECK(parsed.exit_code == 0);
  CHECK_THAT(parsed.message, Catch::Contains("--rate-per-s"));
}
