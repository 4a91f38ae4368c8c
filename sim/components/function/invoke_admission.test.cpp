#include "sim/components/function/invoke_admission.hpp"

#include <catch2/catch.hpp>

using namespace archlab;

TEST_CASE("admission: provisioned first, then the limit, then a warm environment, then the scaling rate", "[function]")
{
  CHECK(admit({.has_idle_provisioned = true, .is_under_limit = false}) == InvokeAdmission::warm_provisioned);
  CHECK(admit({.has_idle_on_demand = true, .is_under_limit = false, .may_add_environment = true}) == InvokeAdmission::throttled_concurrency);
  CHECK(admit({.has_idle_on_demand = true, .is_under_limit = true, .may_add_environment = false}) == InvokeAdmission::warm);
  CHECK(admit({.is_under_limit = true, .may_add_environment = true}) == InvokeAdmission::cold);
  CHECK(admit({.is_under_limit = true, .may_add_environment = false}) == InvokeAdmission::throttled_scaling_rate);
  CHECK(is_throttled(InvokeAdmission::throttled_scaling_rate));
  CHECK_FALSE(is_throttled(InvokeAdmission::cold));
}

TEST_CASE("scaling allowance: 1,000 new environments at once, then 100 a second, never more than 1,000 saved", "[function]")
{
  ScalingAllowance allowance(1000);
  int added = 0;
  while (allowance.can_add(0)) {
    allowance.add(0);
    ++added;
  }
  CHECK(added == 1000);
  CHECK_FALSE(allowance.can_add(0.009));
  CHECK(allowance.can_add(0.01));       // one more every 10 ms
  CHECK(allowance.available(5) == Approx(500));
  CHECK(allowance.available(3600) == Approx(1000));  // unused allowance is not saved up
}

TEST_CASE("cpu share: 1,769 MB is one vCPU, at most 6; a single-threaded handler gets at most one", "[function]")
{
  CHECK(cpu_share_vcpus(1769) == Approx(1.0));
  CHECK(cpu_share_vcpus(884.5) == Approx(0.5));
  CHECK(cpu_share_vcpus(10240) == Approx(10240.0 / 1769));  // about 5.8: the largest size stays under 6
  CHECK(cpu_share_vcpus(1769 * 10) == Approx(6.0));
  CHECK(handler_cpu_speed(884.5) == Approx(0.5));
  CHECK(handler_cpu_speed(128) == Approx(128.0 / 1769));
  CHECK(handler_cpu_speed(1769) == Approx(1.0));
  CHECK(handler_cpu_speed(10240) == Approx(1.0));  // one thread runs on one core
}

TEST_CASE("billed duration: rounded up to the millisecond, times the memory in GB", "[function]")
{
  CHECK(billed_gb_s(0.1001, 1024) == Approx(0.101));
  CHECK(billed_gb_s(0.1 + 0.2, 1024) == Approx(0.3));
  CHECK(billed_gb_s(1.0, 512) == Approx(0.5));
  CHECK(billed_gb_s(0, 1024) == 0);
}

TEST_CASE("concurrency account: what reserved concurrency takes, the others cannot use", "[function]")
{
  ConcurrencyAccount account;
  account.reserved_total = 300;
  CHECK(account.unreserved() == 700);
}
