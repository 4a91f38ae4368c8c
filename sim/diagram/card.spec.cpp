#include "sim/analysis/analysis_fixtures.hpp"
#include "sim/core/registry.hpp"
#include "sim/diagram/card.hpp"
#include "sim/diagram/style.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <set>

using namespace archlab;
using namespace archlab::diagram;

TEST_CASE("card: parameter names lose their unit and underscores", "[diagram]")
{
  CHECK(parameter_label("service_time_ms") == "service time");
  CHECK(parameter_label("rate_per_s") == "rate");
  CHECK(parameter_label("queue_capacity") == "queue capacity");
  CHECK(parameter_label("timeout_s") == "timeout");
}

TEST_CASE("card: values carry their unit, distributions read as a mean", "[diagram]")
{
  auto ms = number_param("timeout_ms", "ms", nullptr, "");
  CHECK(describe_value(2000, ms) == "2000 ms");
  CHECK(describe_value(nlohmann::json{{"dist", "exponential"}, {"mean", 100}}, ms) == "≈100 ms (exp)");
  CHECK(describe_value(nlohmann::json{{"dist", "uniform"}, {"min", 5}, {"max", 15}}, ms) == "uniform 5–15 ms");
  CHECK(describe_value(8.5, number_param("rate_per_s", "per s", nullptr, "")) == "8.50/s");
  CHECK(format_number(0.126) == "0.13");
  CHECK(format_number(1234.5) == "1234");
}

TEST_CASE("card: key parameters of a service, chosen from its specs", "[diagram]")
{
  const auto& specs = find_component_type("service")->params;
  auto params = nlohmann::json::parse(R"({"instances": 3, "concurrency": 8, "queue_capacity": 50,
      "service_time_ms": {"dist": "exponential", "mean": 20}, "calls": [{"target": "db", "probability": 1}]})");
  auto lines = key_parameter_lines(params, specs);
  REQUIRE(lines.size() == 3);
  CHECK(lines[0] == "instances 3 · concurrency 8");
  CHECK(lines[1] == "queue capacity 50");
  CHECK(lines[2] == "service time ≈20 ms (exp)");
}

TEST_CASE("card: a load balancer shows its policy, not its health-check defaults", "[diagram]")
{
  const auto& specs = find_component_type("load_balancer")->params;
  auto params = nlohmann::json::parse(R"({"targets": ["a"], "policy": "random",
      "health_check": {"enabled": true, "interval_s": 30, "timeout_s": 5, "healthy_threshold": 5, "unhealthy_threshold": 2}})");
  CHECK(key_parameter_lines(params, specs) == std::vector<std::string>{"policy random"});
  params["health_check"]["interval_s"] = 10;  // changed from the default: worth a line, named after its object
  CHECK(key_parameter_lines(params, specs).back() == "health check interval 10 s");
}

TEST_CASE("card: a client shows its arrival process and rate", "[diagram]")
{
  const auto& specs = find_component_type("client")->params;
  auto params = nlohmann::json::parse(R"({"target": "x", "timeout_ms": 900,
      "arrivals": {"process": "poisson", "rate_per_s": 40, "think_time_ms": 0}})");
  auto lines = key_parameter_lines(params, specs);
  REQUIRE(lines.size() == 2);
  CHECK(lines[0] == "process poisson · rate 40/s");
  CHECK(lines[1] == "timeout 900 ms");
}

TEST_CASE("card: user text is escaped inside the HTML label", "[diagram]")
{
  CHECK(escape_html("a<b & \"c\">") == "a&lt;b &amp; &quot;c&quot;&gt;");
  Card card;
  card.title = "api<1>";
  card.header_colour = "#000000";
  card.fault_line = "faults: 2 events";
  auto html = card_html(card);
  CHECK(html.find("api&lt;1&gt;") != std::string::npos);
  CHECK(html.find("COLOR=\"#D0021B\"") != std::string::npos);  // a red border marks faults
}

TEST_CASE("style: each interaction has its own line, polling is drawn from the queue", "[diagram]")
{
  std::set<std::string> looks;
  for (Interaction interaction : legend_order())
    looks.insert(edge_style(interaction).style + edge_style(interaction).colour);
  CHECK(looks.size() == legend_order().size());
  CHECK(edge_style(Interaction::sync_call).style == "solid");
  CHECK(edge_style(Interaction::async_message).style == "dashed");
  CHECK(edge_style(Interaction::polling).style == "dotted");
  CHECK(edge_style(Interaction::polling).is_drawn_backwards);
  CHECK(edge_style(Interaction::forward).style == "bold");
}

TEST_CASE("style: utilization runs from green through yellow to red", "[diagram]")
{
  CHECK(utilization_colour(0) == "#73FF73");
  CHECK(utilization_colour(0.5) == "#FFFF73");
  CHECK(utilization_colour(1) == "#FF7373");
  CHECK(utilization_colour(3) == utilization_colour(1));
}

namespace {
// The key parameter lines of one component of the job system, with every default filled in as a model has them.
std::vector<std::string> lines_of(const std::string& components_json, const std::string& id)
{
  auto architecture = analysis::testing::architecture_of(components_json);
  const auto* component = architecture.find(id);
  return key_parameter_lines(component->params, find_component_type(component->type)->params);
}

bool has_line(const std::vector<std::string>& lines, const std::string& text)
{
  return std::any_of(lines.begin(), lines.end(), [&](const std::string& line) { return line.find(text) != std::string::npos; });
}
}  // namespace

TEST_CASE("card: a queue says FIFO or standard, its group, visibility and dead-letter queue", "[diagram]")
{
  auto fifo = nlohmann::json::parse(analysis::testing::job_system_json());
  fifo["jobs"]["fifo"] = true;
  fifo["jobs"]["message_group"] = "per_job";
  fifo["dlq"]["fifo"] = true;
  auto lines = lines_of(fifo.dump(), "jobs");
  CHECK(lines.front() == "FIFO · group per_job");
  CHECK(has_line(lines, "visibility 30 s"));
  CHECK(has_line(lines, "DLQ dlq after 5 receives"));
  CHECK_FALSE(has_line(lines, "fifo yes"));  // read together, not one by one
  auto standard = lines_of(analysis::testing::job_system_json(), "dlq");
  CHECK(standard.front().rfind("standard", 0) == 0);
  CHECK(has_line(standard, "no DLQ"));
}

TEST_CASE("card: a table says on demand, or its provisioned read and write units", "[diagram]")
{
  CHECK(lines_of(analysis::testing::job_system_json(), "table") == std::vector<std::string>{"on demand"});
  auto provisioned = nlohmann::json::parse(analysis::testing::job_system_json());
  provisioned["table"]["capacity_mode"] = "provisioned";
  provisioned["table"]["read_capacity_units"] = 20;
  CHECK(lines_of(provisioned.dump(), "table").front() == "provisioned 20 RCU · 5 WCU");
}

TEST_CASE("card: an API gateway shows its token bucket and integration timeout", "[diagram]")
{
  auto lines = lines_of(analysis::testing::job_system_json(), "gateway");
  REQUIRE(lines.size() == 2);
  CHECK(lines[0] == "rate 100/s · burst 50");
  CHECK(lines[1] == "integration timeout 29000 ms");
}

TEST_CASE("card: workers show their group, what it scales on, wait, pause and steps", "[diagram]")
{
  auto lines = lines_of(analysis::testing::job_system_json(), "workers");
  REQUIRE(lines.size() >= 4);
  CHECK(lines[0] == "Auto Scaling 1–3 (desired 2)");
  CHECK(lines[1] == "scales on queue depth ≥10 → +1");
  CHECK(has_line(lines, "wait 20 s · pause 0 s"));
  CHECK(lines.back() == "steps get → run → update → delete");
  CHECK_FALSE(has_line(lines, "instances 1"));  // the group decides
  auto fixed = lines_of(analysis::testing::job_system_json(R"({"min": 1, "max": 10,
      "policies": [{"type": "target_tracking", "signal": "backlog_per_instance", "queue": "jobs", "target": 10}]})"), "workers");
  CHECK(fixed[0] == "Auto Scaling 1–10");
  CHECK(fixed[1] == "scales on backlog per instance held at 10");
  auto fixed_fleet = nlohmann::json::parse(analysis::testing::job_system_json());
  fixed_fleet["workers"].erase("scaling");
  fixed_fleet["workers"]["instances"] = 3;
  CHECK(lines_of(fixed_fleet.dump(), "workers").front().rfind("instances 3", 0) == 0);
}

TEST_CASE("card: a scaled service shows its range and policy instead of an instance count", "[diagram]")
{
  auto lines = lines_of(R"({"users": {"type": "client", "target": "api", "arrivals": {"rate_per_s": 5}},
      "api": {"type": "service", "concurrency": 4, "scaling": {"min": 2, "max": 6,
              "policies": [{"type": "target_tracking", "signal": "cpu_utilization", "target": 50}]}}})", "api");
  CHECK(lines[0] == "Auto Scaling 2–6");
  CHECK(lines[1] == "scales on cpu utilization held at 50");
  CHECK(has_line(lines, "concurrency 4"));
  CHECK_FALSE(has_line(lines, "instances"));
}
