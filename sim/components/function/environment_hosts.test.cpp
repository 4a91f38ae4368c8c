// Which host an execution environment computes on, with a Compute that only records the hosts made:
// a slot keeps its host, and a slot reset mid-work gets another while the old one waits for its work.
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
  CpuWorkId run(HostId, double, archlab::InlineAction) override { return {}; }
  void cancel(CpuWorkId) override {}
  double busy_s(HostId) const override { return 0; }
  std::vector<std::string> names;
  std::vector<int> vcpus;
  std::vector<double> speeds;
};
}  // namespace

TEST_CASE("environment hosts: one single-core host per environment, kept by its slot across invocations", "[function]")
{
  MadeHosts compute;
  EnvironmentHosts hosts("fn", 0.5);
  auto first = hosts.start_work(compute, 0);
  hosts.finished(0, first);
  CHECK(hosts.start_work(compute, 0) == first);  // a warm environment: the same host
  auto other = hosts.start_work(compute, 1);
  CHECK(other != first);
  CHECK(compute.names == std::vector<std::string>{"fn/environment-0", "fn/environment-1"});
  CHECK(compute.vcpus == std::vector<int>{1, 1});
  CHECK(compute.speeds == std::vector<double>{0.5, 0.5});
}

TEST_CASE("environment hosts: a slot reset mid-work gets a new host; the old one is reused once its work ends", "[function]")
{
  MadeHosts compute;
  EnvironmentHosts hosts("fn", 1);
  auto stopped = hosts.start_work(compute, 0);
  hosts.reset(0);  // a timeout: the work runs on
  auto replacement = hosts.start_work(compute, 0);
  CHECK(replacement != stopped);
  hosts.finished(0, stopped);      // the stopped work ends: its host is free
  hosts.finished(0, replacement);  // the slot keeps its own
  CHECK(hosts.start_work(compute, 0) == replacement);
  CHECK(hosts.start_work(compute, 1) == stopped);
  CHECK(hosts.hosts_made() == 2);
}

TEST_CASE("environment hosts: a slot reset while idle keeps its host (nothing runs on it)", "[function]")
{
  MadeHosts compute;
  EnvironmentHosts hosts("fn", 1);
  auto host = hosts.start_work(compute, 0);
  hosts.finished(0, host);
  hosts.reset(0);
  CHECK(hosts.start_work(compute, 0) == host);
  CHECK(hosts.hosts_made() == 1);
}
