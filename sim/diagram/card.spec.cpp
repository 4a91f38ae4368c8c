#include "sim/core/registry.hpp"
#include "sim/diagram/card.hpp"
#include "sim/diagram/style.hpp"

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
