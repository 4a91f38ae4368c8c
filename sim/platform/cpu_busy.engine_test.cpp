// A host's busy time (Compute::busy_s), which the scaling readings turn into CPU utilisation: the
// work its vCPUs did, on a plain host and on a VM made during the run. One engine per test case.
#include "sim/platform/simgrid_platform.hpp"

#include "sim/testing/simgrid_world.hpp"

#include <catch2/catch.hpp>

using archlab::testing::SimgridWorld;
using nlohmann::json;

namespace {
// A model needs a component; this one does no CPU work, so the test's hosts are all there is.
json quiet_model()
{
  return {{"name", "busy-test"}, {"components", {{"table", {{"type", "table"}}}}}, {"run", {{"duration_s", 10}}}};
}
}  // namespace

TEST_CASE("cpu busy: on 2 vCPUs one job busies half the host, three share all of it, read at any instant", "[engine][platform]")
{
  SimgridWorld test(quiet_model());
  auto& platform = test.platform();
  auto plain = platform.instance_host("plain", "t3.micro", "");
  auto& scheduler = test.scheduler();
  std::vector<double> read;
  auto read_at = [&](double at_s, archlab::Compute::HostId host) { scheduler.at(at_s, [&, host] { read.push_back(platform.busy_s(host)); }); };
  platform.run(plain, 0.1, {});  // one job alone: one of the two vCPUs for 0.1 s
  read_at(0.05, plain);
  read_at(0.1, plain);  // the instant it ends, before SimGrid reports it
  read_at(0.5, plain);
  scheduler.at(1, [&] {
    for (int i = 0; i < 3; ++i)
      platform.run(plain, 0.1, {});  // three jobs on two vCPUs: both busy until 1.15 s
  });
  read_at(1.1, plain);
  read_at(2, plain);
  // A VM made after sealing (an instance launched by a group) reads the same way.
  archlab::Compute::HostId launched = 0;
  scheduler.at(3, [&] {
    launched = platform.instance_host("launched", "t3.micro", "");
    platform.run(launched, 0.1, {});
    platform.run(launched, 0.1, {});
  });
  scheduler.at(4, [&] { read.push_back(platform.busy_s(launched)); });
  test.run_until(10);
  CHECK_THAT(read, Catch::Matchers::Approx(std::vector<double>{0.025, 0.05, 0.05, 0.15, 0.2, 0.1}).margin(1e-9));
}
