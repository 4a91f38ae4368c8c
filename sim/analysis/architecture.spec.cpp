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

TEST_CASE("architecture: what a call asks refines its interaction: send is a message, receive a poll", "[analysis]")
{
  auto architecture = testing::architecture_of(testing::job_system_json());
  auto between = [&](const std::string& from, const std::string& to) {
    std::vector<const Edge*> found;
    for (const Edge* edge : architecture.edges_from(from))
      if (edge->to == to)
        found.push_back(edge);
    return found;
  };
  auto api_jobs = between("api", "jobs");
  REQUIRE(api_jobs.size() == 2);
  for (const Edge* edge : api_jobs) {
    if (edge->operation == "send") {
      CHECK(edge->interaction == Interaction::async_message);
      CHECK(edge->scope == "handlers.submit");
    } else {
      CHECK(edge->operation == "receive");
      CHECK(edge->interaction == Interaction::polling);
      CHECK(edge->scope == "handlers.status");
    }
  }
  for (const Edge* edge : between("api", "table"))
    CHECK(edge->interaction == Interaction::sync_call);  // get and put wait for their answer
  REQUIRE(between("workers", "jobs").size() == 2);  // the queue it polls, and the scaling policy's metric
  CHECK(between("workers", "jobs")[0]->interaction == Interaction::polling);
  CHECK(between("workers", "jobs")[1]->interaction == Interaction::none);
  REQUIRE(between("workers", "table").size() == 2);
  CHECK(between("workers", "table")[0]->interaction == Interaction::sync_call);  // a step's call waits
  REQUIRE(between("jobs", "dlq").size() == 1);
  CHECK(between("jobs", "dlq")[0]->interaction == Interaction::async_message);  // the redrive
}

TEST_CASE("architecture: an API gateway passes requests on as a synchronous call bounded by its integration timeout", "[analysis]")
{
  auto architecture = testing::architecture_of(testing::job_system_json());
  CHECK(architecture.find("browser")->is_client);
  CHECK_FALSE(architecture.find("gateway")->is_client);
  CHECK(architecture.edges_from("browser").front()->interaction == Interaction::request);
  const Edge* integration = architecture.edges_from("gateway").front();
  CHECK(integration->interaction == Interaction::sync_call);
  CHECK(integration->timeout_ms == 29000);  // the AWS default, filled in by the loader
  CHECK(integration->timeout_name == "integration_timeout_ms");
  CHECK_FALSE(architecture.edges_from("alb").front()->can_time_out);  // a load balancer has no timeout to set
}

TEST_CASE("architecture: instances of scaled groups, load balancers over zones and managed services", "[analysis]")
{
  auto architecture = testing::architecture_of(testing::job_system_json());
  const auto* workers = architecture.find("workers");
  CHECK(workers->is_scaled);
  CHECK(workers->instances == 1);  // scaling.min, not the 1 of `instances` nor the desired 2
  CHECK(workers->max_instances == 3);
  CHECK(workers->spans_zones);
  CHECK(workers->placement.listed == std::vector<std::string>{"a", "b"});
  const auto* alb = architecture.find("alb");
  CHECK(alb->instances == 2);  // a node per zone it is enabled in
  CHECK(alb->placement.zones.size() == 2);
  CHECK(alb->spans_zones);
  CHECK_FALSE(architecture.find("api")->spans_zones);  // a fixed fleet: drawn per zone
  for (const char* managed : {"gateway", "jobs", "dlq", "table"})
    CHECK(architecture.find(managed)->is_managed_multi_zone);
  CHECK_FALSE(alb->is_managed_multi_zone);
  CHECK(testing::architecture_of(testing::job_system_json(R"({"min": 2, "max": 4})")).find("workers")->instances == 2);
}
