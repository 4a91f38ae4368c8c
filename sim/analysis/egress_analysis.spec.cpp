#include "sim/analysis/egress_analysis.hpp"

#include "sim/analysis/analysis_fixtures.hpp"

#include <catch2/catch.hpp>

using namespace archlab::analysis;
using archlab::analysis::testing::architecture_of;

namespace {
std::string tasks_routed(const char* route_b)
{
  return std::string(R"({
  "u":     {"type": "client", "target": "tasks", "arrivals": {"rate_per_s": 1}},
  "tasks": {"type": "service", "zones": ["a", "b"], "instances": 2,
            "image_pull": {"routes": [{"zone": "a", "through": "nat_a"}, {"zone": "b", "through": ")") +
         route_b + R"("}]}},
  "nat_a": {"type": "nat_gateway", "zone": "a"},
  "nat_b": {"type": "nat_gateway", "zone": "b"},
  "ecr":   {"type": "vpc_endpoint", "zones": ["a", "b"]}
})";
}
}  // namespace

TEST_CASE("egress: a zone routed through another zone's NAT gateway cannot replace what it loses in that zone's outage", "[analysis]")
{
  auto found = egress_findings(architecture_of(tasks_routed("nat_a").c_str()));
  REQUIRE(found.size() == 1);
  CHECK(found[0].kind == "cross_zone_egress");
  CHECK(found[0].severity == "warning");
  CHECK(found[0].components == std::vector<std::string>{"nat_a", "tasks"});
  CHECK(found[0].details["zones_depending"] == std::vector<std::string>{"b"});
  CHECK(egress_findings(architecture_of(tasks_routed("nat_b").c_str())).empty());  // each zone its own
  CHECK(egress_findings(architecture_of(tasks_routed("ecr").c_str())).empty());    // an endpoint in both zones
}
