#include "sim/analysis/analysis_fixtures.hpp"
#include "sim/analysis/call_structure.hpp"

#include <catch2/catch.hpp>

using namespace archlab;
using namespace archlab::analysis;
using testing::architecture_from_links;

namespace {
std::vector<Finding> of_kind(const std::vector<Finding>& findings, const std::string& kind)
{
  std::vector<Finding> found;
  std::copy_if(findings.begin(), findings.end(), std::back_inserter(found), [&](const Finding& f) { return f.kind == kind; });
  return found;
}
}  // namespace

TEST_CASE("cycles: a loop of synchronous calls is found as a closed walk", "[analysis]")
{
  // Built from links: a model with this loop no longer passes validation (sim/core/model_checks.hpp).
  auto architecture = architecture_from_links({"users"}, {{"users", "a", Interaction::request}, {"a", "b"}, {"b", "c"}, {"c", "a"}});
  auto cycles = sync_call_cycles(architecture);
  REQUIRE(cycles.size() == 1);
  CHECK(cycles[0] == std::vector<std::string>{"a", "b", "c", "a"});
  auto found = of_kind(call_structure_findings(architecture), "sync_call_cycle");
  REQUIRE(found.size() == 1);
  CHECK(found[0].summary == "synchronous call cycle: a → b → c → a");
}

TEST_CASE("cycles: a self call counts, an asynchronous loop does not", "[analysis]")
{
  auto self = architecture_from_links({"u"}, {{"u", "a", Interaction::request}, {"a", "a"}});
  CHECK(sync_call_cycles(self) == std::vector<std::vector<std::string>>{{"a", "a"}});
  auto async = architecture_from_links({"u"}, {{"u", "a", Interaction::request}, {"a", "b"}, {"b", "a", Interaction::async_message}});
  CHECK(sync_call_cycles(async).empty());
}

TEST_CASE("reachability: parts no client reaches are reported, pollers of reached queues are reached", "[analysis]")
{
  auto architecture = architecture_from_links(
      {"u"}, {{"u", "api", Interaction::request}, {"api", "jobs", Interaction::async_message},
              {"worker", "jobs", Interaction::polling}, {"worker", "table"}, {"cron", "table"}});
  auto reached = reachable_from_clients(architecture);
  CHECK(reached.contains("worker"));
  CHECK(reached.contains("table"));
  CHECK_FALSE(reached.contains("cron"));
  auto found = of_kind(call_structure_findings(architecture), "unreachable");
  REQUIRE(found.size() == 1);
  CHECK(found[0].components == std::vector<std::string>{"cron"});
}

TEST_CASE("chain: the longest synchronous chain and its timeouts against the caller's", "[analysis]")
{
  auto architecture = architecture_from_links(
      {"u"}, {{"u", "lb", Interaction::request, 1000}, {"lb", "api", Interaction::sync_call, 600},
              {"api", "db", Interaction::sync_call, 500}, {"api", "jobs", Interaction::async_message}, {"u", "short", Interaction::request}});
  auto chain = longest_sync_chain(architecture, "u");
  CHECK(chain.components == std::vector<std::string>{"u", "lb", "api", "db"});
  CHECK(chain.hops() == 3);
  CHECK(chain.caller_timeout_ms() == 1000);
  CHECK(chain.inner_timeouts_ms() == 1100);
  auto found = of_kind(call_structure_findings(architecture), "sync_call_chain");
  REQUIRE(found.size() == 1);
  CHECK(found[0].severity == "warning");  // 600 + 500 ms inside a 1000 ms budget
  CHECK(found[0].why.find("1100 ms") != std::string::npos);
}

TEST_CASE("chain: a chain within its budget is only a note, a client without timeout is told so", "[analysis]")
{
  auto within = architecture_from_links({"u"}, {{"u", "api", Interaction::request, 1000}, {"api", "db", Interaction::sync_call, 300}});
  auto found = of_kind(call_structure_findings(within), "sync_call_chain");
  REQUIRE(found.size() == 1);
  CHECK(found[0].severity == "info");
  auto unbounded = architecture_from_links({"u"}, {{"u", "api", Interaction::request}});
  CHECK(of_kind(call_structure_findings(unbounded), "sync_call_chain")[0].why.find("no timeout_ms") != std::string::npos);
}

TEST_CASE("fan-out: a component calling many is flagged, a load balancer's pool is one call", "[analysis]")
{
  auto architecture = testing::architecture_of(R"({
    "users": {"type": "client", "target": "lb", "arrivals": {"rate_per_s": 5}},
    "lb": {"type": "load_balancer", "targets": ["front", "a", "b", "c", "d"]},
    "front": {"type": "service", "calls": [{"target": "a"}, {"target": "b"}, {"target": "c"}, {"target": "d"}]},
    "a": {"type": "service"}, "b": {"type": "service"}, "c": {"type": "service"}, "d": {"type": "service"}})");
  auto found = of_kind(call_structure_findings(architecture), "fan_out");
  REQUIRE(found.size() == 1);
  CHECK(found[0].components == std::vector<std::string>{"front"});
  CHECK(found[0].summary == "front calls 4 components per request");
}

TEST_CASE("chain: mean work is read from numbers and distributions", "[analysis]")
{
  CHECK(mean_ms(12) == 12);
  CHECK(mean_ms(nlohmann::json{{"dist", "exponential"}, {"mean", 40}}) == 40);
  CHECK(mean_ms(nlohmann::json{{"dist", "uniform"}, {"min", 10}, {"max", 30}}) == 20);
  CHECK(mean_ms(nlohmann::json{{"dist", "empirical"}, {"file", "x.csv"}}) == 0);
}

TEST_CASE("fan-out: counted per request kind, not over all handlers together", "[analysis]")
{
  auto per_kind = testing::architecture_of(R"({
    "users": {"type": "client", "target": "front", "arrivals": {"rate_per_s": 5}},
    "front": {"type": "service", "handlers": {"read": {"calls": [{"target": "a"}, {"target": "b"}]},
                                              "write": {"calls": [{"target": "c"}, {"target": "d"}]}}},
    "a": {"type": "service"}, "b": {"type": "service"}, "c": {"type": "service"}, "d": {"type": "service"}})");
  CHECK(of_kind(call_structure_findings(per_kind), "fan_out").empty());  // 2 per request, 4 in all
  auto wide = testing::architecture_of(R"({
    "users": {"type": "client", "target": "front", "arrivals": {"rate_per_s": 5}},
    "front": {"type": "service", "calls": [{"target": "a"}],
              "handlers": {"report": {"calls": [{"target": "a"}, {"target": "b"}, {"target": "c"}, {"target": "d"}]}}},
    "a": {"type": "service"}, "b": {"type": "service"}, "c": {"type": "service"}, "d": {"type": "service"}})");
  auto found = of_kind(call_structure_findings(wide), "fan_out");
  REQUIRE(found.size() == 1);
  CHECK(found[0].summary == "front calls 4 components per report request");
  auto job_system = testing::architecture_of(testing::job_system_json());
  for (const auto& scope : fan_out_by_scope(job_system, "api"))
    CHECK(scope.targets == std::set<std::string>{"jobs", "table"});
  CHECK(of_kind(call_structure_findings(job_system), "fan_out").empty());
}

TEST_CASE("chain: messages and polls are no synchronous hops; an API gateway's integration timeout bounds the client", "[analysis]")
{
  auto architecture = testing::architecture_of(testing::job_system_json());
  auto chain = longest_sync_chain(architecture, "browser");
  CHECK(chain.components == std::vector<std::string>{"browser", "gateway", "alb", "api", "table"});
  CHECK(chain.timeouts_ms[1] == 29000);
  CHECK(chain.work_ms == Approx(10 + 2 + 3));  // the gateway's latency, the API's work, a table get or put (means)
  auto found = of_kind(call_structure_findings(architecture), "sync_call_chain");
  REQUIRE(found.size() == 1);  // the gateway is no client of its own
  CHECK(found[0].why.find("gateway's integration timeout (29000 ms) is what bounds its wait") != std::string::npos);
  CHECK(found[0].why.find("forever") == std::string::npos);
  CHECK(found[0].fix.find("integration_timeout_ms") != std::string::npos);
  CHECK(found[0].fix.find("gateway 10 ms, api 2 ms, table") != std::string::npos);
  CHECK(sync_call_cycles(architecture).empty());  // the status peek at the queue is no call cycle
  CHECK(of_kind(call_structure_findings(architecture), "unreachable").empty());
}
