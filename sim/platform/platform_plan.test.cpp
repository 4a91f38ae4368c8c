#include "sim/platform/platform_plan.hpp"

#include <catch2/catch.hpp>

using namespace archlab;
using nlohmann::json;

TEST_CASE("platform plan: the zones components name, once each, with the default zone", "[platform]")
{
  json components = {{"web", {{"type", "service"}, {"zones", {"b", "a"}}}},
                     {"workers", {{"type", "consumers"}, {"zone", "b"}}},
                     {"users", {{"type", "client"}}}};
  auto plan = plan_platform(components);
  std::vector<std::string> expected{"a", "b", region_network().default_zone};
  std::sort(expected.begin(), expected.end());
  CHECK(plan.zones == expected);
  CHECK_FALSE(plan.has_cpu_work);
}

TEST_CASE("platform plan: cpu_ms on a service or in one of its handlers is CPU work; a null one is not", "[platform]")
{
  CHECK(plan_platform(json{{"web", {{"cpu_ms", {{"dist", "constant"}, {"value", 5}}}}}}).has_cpu_work);
  CHECK(plan_platform(json{{"web", {{"handlers", {{"upload", {{"cpu_ms", {{"dist", "constant"}, {"value", 5}}}}}}}}}}).has_cpu_work);
  CHECK_FALSE(plan_platform(json{{"web", {{"cpu_ms", nullptr}, {"service_time_ms", {{"dist", "constant"}, {"value", 5}}}}}}).has_cpu_work);
}
