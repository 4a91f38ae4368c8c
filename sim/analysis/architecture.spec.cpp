#include "sim/analysis/analysis_fixtures.hpp"
#include "sim/analysis/architecture.hpp"

#include <catch2/catch.hpp>

using namespace archlab;
using namespace archlab::analysis;

TEST_CASE("architecture: references are found at any depth, with interaction, path and group", "[analysis]")
{
  std::vector<ParamSpec> specs = {
      reference_param("target", Interaction::request, ""),
      reference_list_param("pool", Interaction::sync_call, ""),
      object_list_param("calls", {reference_param("target", Interaction::sync_call, ""), number_param("probability", "", 1, ""),
                                  number_param("timeout_ms", "ms", nullptr, "")}, ""),
      object_map_param("handlers", {object_list_param("next", {reference_param("to", Interaction::forward, "")}, "")}, ""),
      object_param("consume", {reference_param("queue", Interaction::polling, "")}, ""),
  };
  auto params = nlohmann::json::parse(R"({
    "target": "lb", "pool": ["a", "b"], "timeout_ms": 900,
    "calls": [{"target": "db", "probability": 0.25, "timeout_ms": 300}],
    "handlers": {"write": {"next": [{"to": "audit"}]}},
    "consume": {"queue": "jobs"}})");
  auto edges = outgoing_edges("x", params, specs);
  REQUIRE(edges.size() == 6);
  CHECK(edges[0].to == "lb");
  CHECK(edges[0].interaction == Interaction::request);
  CHECK(edges[0].timeout_ms == 900);  // a timeout beside the reference
  CHECK(edges[1].path == "pool[0]");
  CHECK(edges[1].group == "pool");
  CHECK(edges[2].group == "pool");  // a reference list is one pool of alternatives
  CHECK(edges[3].path == "calls[0].target");
  CHECK(edges[3].probability == 0.25);
  CHECK(edges[3].timeout_ms == 300);
  CHECK(edges[4].path == "handlers.write.next[0].to");
  CHECK(edges[4].interaction == Interaction::forward);
  CHECK(edges[5].interaction == Interaction::polling);
  CHECK(edges[5].path == "consume.queue");
}

TEST_CASE("architecture: instances are dealt to zones in turn", "[analysis]")
{
  auto shares = instances_by_zone(3, {"a", "b"});
  REQUIRE(shares.size() == 2);
  CHECK(shares[0].zone == "a");
  CHECK(shares[0].instances == 2);
  CHECK(shares[1].instances == 1);
  CHECK(instances_by_zone(1, {"a", "b"}).size() == 1);  // one instance is in one zone only
  auto unplaced = instances_by_zone(2, {});
  REQUIRE(unplaced.size() == 1);
  CHECK(unplaced[0].zone.empty());
  CHECK(unplaced[0].instances == 2);
}

TEST_CASE("architecture: a model's components become typed edges and placements", "[analysis]")
{
  auto architecture = testing::architecture_of(R"({
    "users": {"type": "client", "target": "lb", "arrivals": {"rate_per_s": 5}},
    "lb": {"type": "load_balancer", "targets": ["api"], "region": "eu", "vpc": "main"},
    "api": {"type": "service", "instances": 3, "zones": ["a", "b"], "subnet": "private",
            "calls": [{"target": "db"}], "next": [{"target": "audit"}]},
    "db": {"type": "service", "zone": "a"},
    "audit": {"type": "service"}})");
  REQUIRE(architecture.components.size() == 5);
  CHECK(architecture.components.front().id == "api");  // sorted by id
  CHECK(architecture.find("users")->is_client);
  CHECK_FALSE(architecture.find("lb")->is_client);
  CHECK(architecture.find("lb")->instances == 1);  // no instances parameter: one box
  CHECK(architecture.find("lb")->placement.region == "eu");
  CHECK(architecture.find("api")->placement.zones.size() == 2);
  CHECK(architecture.find("api")->placement.subnet == "private");
  CHECK(architecture.find("db")->placement.zones.front().zone == "a");
  auto from_api = architecture.edges_from("api");
  REQUIRE(from_api.size() == 2);
  CHECK(from_api[0]->to == "db");
  CHECK(from_api[0]->interaction == Interaction::sync_call);
  CHECK(from_api[1]->to == "audit");
  CHECK(from_api[1]->interaction == Interaction::forward);
  CHECK(architecture.edges_to("lb").front()->interaction == Interaction::request);
  CHECK(architecture.edges_from("lb").front()->interaction == Interaction::sync_call);
}
