#include "sim/platform/instance_types.hpp"

#include "sim/report/cost.hpp"

#include <catch2/catch.hpp>

using namespace archlab;

TEST_CASE("instance types: every EC2 type the price table bills has its vCPUs, speed and bandwidth", "[platform]")
{
  for (const auto& name : ec2_instance_types()) {
    INFO(name);
    const auto& type = instance_type(name);
    CHECK(type.vcpus >= 1);
    CHECK(type.cpu_speed > 0);
    CHECK(type.network_baseline_bytes_per_s > 0);
    CHECK(type.network_burst_bytes_per_s >= type.network_baseline_bytes_per_s);
  }
}

TEST_CASE("instance types: t3.micro is 2 vCPUs with a 64 Mbit/s baseline bursting to 5 Gbit/s (AWS network specifications)", "[platform]")
{
  const auto& micro = instance_type("t3.micro");
  CHECK(micro.vcpus == 2);
  CHECK(micro.network_baseline_bytes_per_s == Approx(64e6 / 8));
  CHECK(micro.network_burst_bytes_per_s == Approx(5e9 / 8));
  CHECK(instance_type("m5.large").network_baseline_bytes_per_s == Approx(750e6 / 8));
}

TEST_CASE("instance types: an unknown type is refused by name", "[platform]")
{
  CHECK_THROWS_WITH(instance_type("t9.huge"), Catch::Matchers::Contains("t9.huge"));
}

TEST_CASE("region network: links are one-way latencies in seconds and bandwidths in bytes/s, across zones slower than within", "[platform]")
{
  const auto& network = region_network();
  CHECK(network.within_zone.latency_s == Approx(1e-4));
  CHECK(network.across_zones.latency_s > network.within_zone.latency_s);
  CHECK(network.internet.latency_s > network.across_zones.latency_s);
  CHECK(network.internet.bandwidth_bytes_per_s > 0);
  CHECK_FALSE(network.default_zone.empty());
}
