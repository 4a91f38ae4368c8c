// Which host a handler's CPU work runs on, with a Compute that only records the hosts made: one per
// piece of work at once, reused once given back.
#include "sim/components/function/environment_hosts.hpp"

#include <catch2/catch.hpp>

using archlab::Compute;
using archlab::CpuWorkId;
using archlab::EnvironmentHosts;

namespace {
class MadeHosts final : public Compute {
public:
  HostId instance_host(const std::string&, const std::string&, const std::string&) override { return 0; }
  HostId sized_host(const std::string& name, int vcpus, double cpu_speed, const std::string&) override
  {
    names.push_back(name);
    this->vcpus.push_back(vcpus);
    speeds.push_back(cpu_speed);
    return static_cast<HostId>(names.size() - 1);
  }
  HostId dedicated_core(const std::string& name, double cpu_speed) override { return sized_host(name, 1, cpu_speed, ""); }
  CpuWorkId run(HostId, double, archlab::InlineAction) override { return {}; }
  void cancel(CpuWorkId) override {}
  double busy_s(HostId) const override { return 0; }
  std::vector<std::string> names;
  std::vector<int> vcpus;
  std::vector<double> speeds;
};
}  // namespace

TEST_CASE("environment hosts: single-core hosts at the handler speed, made only when none is free", "[function]")
{
  MadeHosts compute;
  EnvironmentHosts hosts("fn", 0.5);
  auto first = hosts.take(compute);
  auto second = hosts.take(compute);  // two runs computing at once: two cores
  CHECK(second != first);
  hosts.give_back(first);
  CHECK(hosts.take(compute) == first);  // reused, not made
  CHECK(compute.names == std::vector<std::string>{"fn/core-0", "fn/core-1"});
  CHECK(compute.vcpus == std::vector<int>{1, 1});
  CHECK(compute.speeds == std::vector<double>{0.5, 0.5});
}

TEST_CASE("environment hosts: prepared hosts are used first; a host taken is nobody else's until given back", "[function]")
{
  MadeHosts compute;
  EnvironmentHosts hosts("fn", 1);
  hosts.prepare(compute, 2);
  auto a = hosts.take(compute);
  auto b = hosts.take(compute);
  CHECK(hosts.hosts_made() == 2);
  auto c = hosts.take(compute);  // a and b still compute (one may be a timed-out run's work)
  CHECK(hosts.hosts_made() == 3);
  CHECK((a != b && b != c && a != c));
  hosts.give_back(b);
  CHECK(hosts.take(compute) == b);
  CHECK(hosts.hosts_made() == 3);
}
