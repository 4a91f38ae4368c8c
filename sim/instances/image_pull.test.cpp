// Image pulls at launch on the test scheduler: a zone outage that takes the only NAT gateway leaves
// the other zone's replacements unable to pull (ECS's CannotPullContainerError), launched again
// and again; a NAT gateway per zone, or interface endpoints, let them start.
#include "sim/core/fault_plan.hpp"
#include "sim/testing/test_world.hpp"

#include <catch2/catch.hpp>

using archlab::FaultEvent;
using archlab::testing::TestWorld;
using nlohmann::json;

namespace {
// Four tasks over zones a and b (a group keeping 4, 60 s to launch) whose private subnets route to
// the registry as `routes` say; NAT gateways nat_a (zone a) and nat_b (zone b); interface endpoints
// ecr in both zones.
json tasks_routed(json routes)
{
  json tasks = {{"type", "service"}, {"zones", {"a", "b"}}, {"service_time_ms", 1},
                {"scaling", {{"min", 4}, {"max", 4}, {"desired", 4}, {"launch_time_s", 60}}},
                {"image_pull", {{"image_mib", 100}, {"routes", routes}}}};
  return {{"name", "image-pull-test"},
          {"components",
           {{"tasks", tasks},
            {"nat_a", {{"type", "nat_gateway"}, {"zone", "a"}}},
            {"nat_b", {{"type", "nat_gateway"}, {"zone", "b"}}},
            {"ecr", {{"type", "vpc_endpoint"}, {"kind", "interface"}, {"zones", {"a", "b"}}}}}},
          {"run", {{"duration_s", 10000}}}};
}

json route(const char* zone, const char* through) { return {{"zone", zone}, {"through", through}}; }

void zone_outage(TestWorld& test, const char* action, const char* zone)
{
  FaultEvent fault;
  fault.action = action;
  fault.zone = zone;
  for (const char* id : {"tasks", "nat_a", "nat_b", "ecr"})
    test.component(id).apply_fault(fault, test.world());
}

json scaling_of(TestWorld& test)
{
  json summary;
  test.component("tasks").add_summary(summary, test.scheduler().now());
  return summary;
}
}  // namespace

TEST_CASE("image pull: with one NAT gateway, its zone's outage leaves the other zone's replacements failing to pull", "[instances]")
{
  TestWorld test(tasks_routed({route("a", "nat_a"), route("b", "nat_a")}));
  test.start();
  test.scheduler().at(100, [&] { zone_outage(test, "zone_outage", "a"); });
  test.run_until(400);  // launches at 100 s, ready (and failing) at 160, 220, 280, 340, 400 s
  auto summary = scaling_of(test);
  CHECK(summary["instances"]["at_end"] == 2);  // zone b's two, never replaced
  CHECK(summary["scaling"]["launch_failures"].get<int>() >= 8);
  test.scheduler().at(401, [&] { zone_outage(test, "recover", "a"); });
  test.run_until(500);
  CHECK(scaling_of(test)["instances"]["at_end"] == 4);  // the next launches pull through nat_a again
}

TEST_CASE("image pull: a NAT gateway per zone, or interface endpoints in both zones, keep the replacements starting", "[instances]")
{
  for (auto routes : {json::array({route("a", "nat_a"), route("b", "nat_b")}), json::array({route("a", "ecr"), route("b", "ecr")})}) {
    TestWorld test(tasks_routed(routes));
    test.start();
    test.scheduler().at(100, [&] { zone_outage(test, "zone_outage", "a"); });
    test.run_until(170);
    auto summary = scaling_of(test);
    CHECK(summary["instances"]["at_end"] == 4);  // the two lost in a came back in b at 160 s
    CHECK(summary["scaling"]["launch_failures"] == 0);
  }
}

TEST_CASE("image pull: only a NAT gateway or an interface endpoint reaches ECR, from a zone the tasks are in", "[instances]")
{
  auto model = tasks_routed({route("a", "nat_a"), route("c", "nat_b")});
  CHECK_THROWS_WITH(TestWorld(model), Catch::Contains("'c' is not a zone the instances are placed in"));
  model = tasks_routed({route("a", "ecr")});
  model["components"]["ecr"]["kind"] = "gateway";
  CHECK_THROWS_WITH(TestWorld(model), Catch::Contains("ECR has no gateway endpoint"));
  model = tasks_routed({route("a", "tasks")});
  CHECK_THROWS_WITH(TestWorld(model), Catch::Contains("must name a nat_gateway or a vpc_endpoint"));
}
