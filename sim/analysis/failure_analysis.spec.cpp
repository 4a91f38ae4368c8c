#include "sim/analysis/analysis_fixtures.hpp"
#include "sim/analysis/failure_analysis.hpp"

#include <catch2/catch.hpp>

using namespace archlab;
using namespace archlab::analysis;

namespace {
std::vector<Finding> spofs_about(const Architecture& architecture, const std::string& id)
{
  std::vector<Finding> found;
  for (auto& finding : single_points_of_failure(architecture))
    if (std::find(finding.components.begin(), finding.components.end(), id) != finding.components.end())
      found.push_back(finding);
  return found;
}

std::string api_in_zones(const std::string& zones)
{
  return R"({
    "users": {"type": "client", "target": "lb", "arrivals": {"rate_per_s": 5}},
    "lb": {"type": "load_balancer", "targets": ["api"]},
    "api": {"type": "service", "instances": 2, "zones": )" + zones + "}}";
}
}  // namespace

TEST_CASE("spof: a lone load balancer is a single point of failure", "[analysis]")
{
  auto architecture = testing::architecture_of(api_in_zones(R"(["a", "b"])"));
  auto found = spofs_about(architecture, "lb");
  REQUIRE(found.size() == 1);
  CHECK(found[0].details["fault"] == "instance");
  CHECK(found[0].details["clients_cut_off"] == nlohmann::json{"users"});
  CHECK(found[0].why.find("users → lb") != std::string::npos);
  CHECK_FALSE(found[0].fix.empty());
}

TEST_CASE("spof: a pair spread over two zones survives an instance fault and a zone outage", "[analysis]")
{
  auto architecture = testing::architecture_of(api_in_zones(R"(["a", "b"])"));
  CHECK(spofs_about(architecture, "api").empty());
  CHECK(clients_cut_off(architecture, components_only_in_zone(architecture, "a")).empty());
}

TEST_CASE("spof: a pair in one zone survives an instance fault but not that zone's outage", "[analysis]")
{
  auto architecture = testing::architecture_of(api_in_zones(R"(["a"])"));
  auto found = spofs_about(architecture, "api");
  REQUIRE(found.size() == 1);
  CHECK(found[0].details["fault"] == "zone");
  CHECK(found[0].details["zone"] == "a");
  CHECK(found[0].summary.find("zone a") != std::string::npos);
}

TEST_CASE("spof: a service with one instance is one, with two it is not", "[analysis]")
{
  auto one = testing::architecture_of(R"({
    "users": {"type": "client", "target": "api", "arrivals": {"rate_per_s": 5}},
    "api": {"type": "service", "calls": [{"target": "db"}]},
    "db": {"type": "service", "instances": 2}})");
  CHECK(spofs_about(one, "api").size() == 1);
  CHECK(spofs_about(one, "db").empty());  // no zones given: only instance faults are tried
}

TEST_CASE("spof: members of a load balancer's pool back each other up", "[analysis]")
{
  auto architecture = testing::architecture_of(R"({
    "users": {"type": "client", "target": "lb", "arrivals": {"rate_per_s": 5}},
    "lb": {"type": "load_balancer", "targets": ["blue", "green"]},
    "blue": {"type": "service", "zone": "a"},
    "green": {"type": "service", "zone": "a"}})");
  CHECK(spofs_about(architecture, "blue").empty() == false);  // only as part of zone a
  auto found = spofs_about(architecture, "green");
  REQUIRE(found.size() == 1);
  CHECK(found[0].summary == "zone a is a single point of failure");  // neither fails alone; together they do
  CHECK(clients_cut_off(architecture, {"blue"}).empty());
}

TEST_CASE("spof: a queue needs one of its pollers, a poller needs its queue", "[analysis]")
{
  auto architecture = testing::architecture_from_links(
      {"users"}, {{"users", "api", Interaction::request}, {"api", "jobs", Interaction::async_message},
                  {"worker", "jobs", Interaction::polling}, {"backup_worker", "jobs", Interaction::polling}},
      {{"api", 2}, {"jobs", 2}});
  CHECK(clients_cut_off(architecture, {"worker"}).empty());  // the other poller still drains the queue
  CHECK(clients_cut_off(architecture, {"worker", "backup_worker"}) == std::vector<std::string>{"users"});
  CHECK(available_components(architecture, {"jobs"}).contains("worker") == false);
  CHECK(dependency_path(architecture, "users", "worker") == std::vector<std::string>{"users", "api", "jobs", "worker"});
}

TEST_CASE("spof: managed regional services (API gateway, queue, table) are never single points of failure", "[analysis]")
{
  auto architecture = testing::architecture_of(testing::job_system_json());
  for (const char* managed : {"gateway", "jobs", "dlq", "table"})
    CHECK(spofs_about(architecture, managed).empty());
  CHECK(components_only_in_zone(architecture, "a").contains("jobs") == false);
}

TEST_CASE("spof: a load balancer in two zones is not a single point of failure", "[analysis]")
{
  auto architecture = testing::architecture_of(R"({
    "users": {"type": "client", "target": "lb", "arrivals": {"rate_per_s": 5}},
    "lb": {"type": "load_balancer", "targets": ["api"], "zones": ["a", "b"]},
    "api": {"type": "service", "instances": 2, "zones": ["a", "b"]}})");
  CHECK(spofs_about(architecture, "lb").empty());
  CHECK(clients_cut_off(architecture, components_only_in_zone(architecture, "a")).empty());
}

TEST_CASE("spof: workers with scaling.min 1 are one for the queued work, not for the answers", "[analysis]")
{
  auto architecture = testing::architecture_of(testing::job_system_json());
  auto found = spofs_about(architecture, "workers");
  REQUIRE(found.size() == 1);
  CHECK(found[0].summary == "workers is a single point of failure for queued work (one instance)");
  CHECK(found[0].details["impact"] == "queued_work");
  CHECK(found[0].details["clients_cut_off"] == nlohmann::json{"browser"});
  CHECK(found[0].details["clients_unanswered"] == nlohmann::json::array());
  CHECK(found[0].why.find("scaling.min = 1") != std::string::npos);
  CHECK(found[0].why.find("requests are still answered") != std::string::npos);
  CHECK(found[0].why.find("api ⇢ jobs ⇠ workers") != std::string::npos);
  CHECK(found[0].fix.find("raise scaling.min to 2") != std::string::npos);
  // The API peeks at the queue with ReceiveMessage inside a request: that does not make it a consumer.
  CHECK(clients_cut_off(architecture, {"workers"}) == std::vector<std::string>{"browser"});
  CHECK(clients_unanswered(architecture, {"workers"}).empty());
  CHECK(spofs_about(testing::architecture_of(testing::job_system_json(R"({"min": 2, "max": 4})")), "workers").empty());
}

TEST_CASE("spof: a scaled service with scaling.min 1 on the request path fails requests", "[analysis]")
{
  auto architecture = testing::architecture_of(R"({
    "users": {"type": "client", "target": "lb", "arrivals": {"rate_per_s": 5}},
    "lb": {"type": "load_balancer", "targets": ["api"], "zones": ["a", "b"]},
    "api": {"type": "service", "zones": ["a", "b"], "scaling": {"min": 1, "max": 4}}})");
  auto found = spofs_about(architecture, "api");
  REQUIRE(found.size() == 1);
  CHECK(found[0].summary == "api is a single point of failure (one instance)");
  CHECK(found[0].details["impact"] == "requests");
  CHECK(found[0].why.find("requests from users that need it fail until the group has launched a replacement") != std::string::npos);
  CHECK(found[0].fix.find("scaling.min") != std::string::npos);
}

TEST_CASE("spof: a one-way send (a trace segment over UDP) is no dependency; an SQS send is one", "[analysis]")
{
  auto architecture = testing::architecture_of(R"({
    "users": {"type": "client", "target": "api", "arrivals": {"rate_per_s": 5}},
    "api": {"type": "service", "instances": 2, "zones": ["a", "b"],
            "calls": [{"target": "xray", "operation": "put_segment"}, {"target": "jobs", "operation": "send"}]},
    "xray": {"type": "telemetry_daemon"},
    "jobs": {"type": "queue"}})");
  const Edge* segment = nullptr;
  for (const Edge* edge : architecture.edges_from("api"))
    if (edge->to == "xray")
      segment = edge;
  REQUIRE(segment);
  CHECK(segment->interaction == Interaction::async_message);
  CHECK(segment->is_one_way);
  CHECK(spofs_about(architecture, "xray").empty());  // its loss loses traces, never an answer
}
