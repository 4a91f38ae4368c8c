#include "sim/analysis/retry_analysis.hpp"

#include "sim/analysis/analysis_fixtures.hpp"

#include <catch2/catch.hpp>

using namespace archlab::analysis;
using archlab::analysis::testing::architecture_of;

namespace {
std::vector<Finding> of_kind(const std::vector<Finding>& findings, const std::string& kind)
{
  std::vector<Finding> found;
  for (const auto& finding : findings)
    if (finding.kind == kind)
      found.push_back(finding);
  return found;
}

const char* layered = R"({
  "u":   {"type": "client", "target": "api", "timeout_ms": 1000, "arrivals": {"rate_per_s": 1}},
  "api": {"type": "service", "calls": [{"target": "mid", "timeout_ms": 400, "retry": {"max_attempts": 3}}]},
  "mid": {"type": "service", "calls": [{"target": "db", "retry": {"max_attempts": 3, "jitter": "full"}}]},
  "db":  {"type": "service"}
})";
}  // namespace

TEST_CASE("retries at two layers multiply: 3 × 3 = 9 calls to the bottom, a warning", "[analysis][retry]")
{
  auto architecture = architecture_of(layered);
  RetryChain chain = worst_retry_chain(architecture, "u");
  CHECK(chain.components == std::vector<std::string>{"u", "api", "mid", "db"});
  CHECK(chain.attempts == std::vector<int>{1, 3, 3});
  CHECK(chain.amplification() == 9);
  auto found = of_kind(retry_findings(architecture), "retry_amplification");
  REQUIRE(found.size() == 1);
  CHECK(found[0].severity == "warning");
  CHECK(found[0].components == std::vector<std::string>{"db"});
  CHECK(found[0].details["amplification"] == 9);
}

TEST_CASE("a timeout that, times its attempts, outlasts the caller's is flagged; one within it is not", "[analysis][retry]")
{
  auto found = of_kind(retry_findings(architecture_of(layered)), "timeout_exceeds_caller");
  REQUIRE(found.size() == 1);  // api: 3 × 400 ms = 1200 ms against u's 1000 ms
  CHECK(found[0].components == std::vector<std::string>{"api", "u"});
  CHECK(found[0].details["waits_ms"] == 1200);
  std::string within = layered;
  within.replace(within.find("\"timeout_ms\": 400"), 17, "\"timeout_ms\": 300");
  CHECK(of_kind(retry_findings(architecture_of(within)), "timeout_exceeds_caller").empty());  // 900 < 1000
}

TEST_CASE("one retrying layer is only a note; no retries, no finding", "[analysis][retry]")
{
  auto one = architecture_of(R"({
    "u":   {"type": "client", "target": "api", "arrivals": {"rate_per_s": 1}},
    "api": {"type": "service", "calls": [{"target": "db", "retry": {"max_attempts": 4}}]},
    "db":  {"type": "service"}})");
  auto found = of_kind(retry_findings(one), "retry_amplification");
  REQUIRE(found.size() == 1);
  CHECK(found[0].severity == "info");
  CHECK(found[0].details["amplification"] == 4);
  auto none = architecture_of(R"({
    "u":   {"type": "client", "target": "api", "arrivals": {"rate_per_s": 1}},
    "api": {"type": "service", "calls": [{"target": "db"}]},
    "db":  {"type": "service"}})");
  CHECK(retry_findings(none).empty());
}

namespace {
// A client that retries, an API gateway, a service and the table it reads: `call` is the service's
// call to the table, `table` the table's parameters.
std::string client_gateway_table(nlohmann::json table = nlohmann::json::object(),
                                 nlohmann::json call = {{"target", "t"}, {"operation", "get"}})
{
  table["type"] = "table";
  nlohmann::json components = {
      {"u", {{"type", "client"}, {"target", "gw"}, {"timeout_ms", 10000}, {"retry", {{"max_attempts", 2}}}, {"arrivals", {{"rate_per_s", 1}}}}},
      {"gw", {{"type", "api_gateway"}, {"target", "api"}}},
      {"api", {{"type", "service"}, {"calls", nlohmann::json::array({call})}}},
      {"t", table}};
  return components.dump();
}
}  // namespace

TEST_CASE("a client's retries and the AWS SDK's retries to a table multiply: 2 × 1 × 3 = 6 calls to the table", "[analysis][retry]")
{
  auto architecture = architecture_of(client_gateway_table());
  RetryChain chain = worst_retry_chain(architecture, "u");
  CHECK(chain.components == std::vector<std::string>{"u", "gw", "api", "t"});
  CHECK(chain.attempts == std::vector<int>{2, 1, 3});  // the SDK's standard mode: 3 attempts, though the call sets no retry
  CHECK(chain.is_default == std::vector<bool>{false, false, true});
  auto found = of_kind(retry_findings(architecture), "retry_amplification");
  REQUIRE(found.size() == 1);
  CHECK(found[0].severity == "warning");  // two layers retry
  CHECK(found[0].details["amplification"] == 6);
  CHECK(found[0].details["retried_by_default"] == std::vector<std::string>{"t"});
}

TEST_CASE("the table's sdk_max_attempts, or the call's own retry, sets the attempts the analysis counts", "[analysis][retry]")
{
  auto five = architecture_of(client_gateway_table({{"sdk_max_attempts", 5}}));
  CHECK(worst_retry_chain(five, "u").attempts == std::vector<int>{2, 1, 5});
  auto own = architecture_of(
      client_gateway_table({{"sdk_max_attempts", 5}}, {{"target", "t"}, {"operation", "get"}, {"retry", {{"max_attempts", 1}}}}));
  RetryChain chain = worst_retry_chain(own, "u");
  CHECK(chain.attempts == std::vector<int>{2, 1, 1});
  CHECK(chain.is_default == std::vector<bool>{false, false, false});
  auto found = of_kind(retry_findings(own), "retry_amplification");
  REQUIRE(found.size() == 1);
  CHECK(found[0].severity == "info");  // the client alone retries
  CHECK(found[0].details["amplification"] == 2);
}

TEST_CASE("the gateway's integration_timeout_ms is its integration's timeout: 29 s below a client's 10 s is flagged", "[analysis][retry]")
{
  auto found = of_kind(retry_findings(architecture_of(client_gateway_table())),
                       "timeout_exceeds_caller");
  REQUIRE(found.size() == 1);
  CHECK(found[0].components == std::vector<std::string>{"gw", "u"});
  CHECK(found[0].details["timeout_ms"] == 29000);
  CHECK(found[0].details["caller_timeout_ms"] == 10000);
}
