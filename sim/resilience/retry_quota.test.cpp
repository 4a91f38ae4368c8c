#include "sim/resilience/retry_quota.hpp"

#include <catch2/catch.hpp>

using namespace archlab;

TEST_CASE("retry quota: 500 tokens, 5 a retry, 10 after a timeout", "[resilience]")
{
  RetryQuota quota;
  CHECK(quota.available_tokens() == 500);
  CHECK(quota.acquire(Outcome::failed) == 5);
  CHECK(quota.acquire(Outcome::rejected) == 5);
  CHECK(quota.acquire(Outcome::timed_out) == 10);
  CHECK(quota.available_tokens() == 480);
}

TEST_CASE("retry quota, sdk_2026: 14 a retry after a 5xx or a timeout, 5 after a throttle", "[resilience]")
{
  RetryQuota quota(sdk_2026_quota_settings());
  CHECK(quota.acquire(Outcome::failed) == 14);
  CHECK(quota.acquire(Outcome::timed_out) == 14);
  CHECK(quota.acquire(Outcome::rejected) == 5);
  CHECK(quota.available_tokens() == 467);
}

TEST_CASE("retry quota: refuses a retry it cannot pay for in full, and takes nothing", "[resilience]")
{
  RetryQuota quota({.capacity_tokens = 12});
  CHECK(quota.acquire(Outcome::timed_out) == 10);
  CHECK_FALSE(quota.acquire(Outcome::timed_out));  // 2 left, 10 needed
  CHECK(quota.available_tokens() == 2);
  CHECK_FALSE(quota.acquire(Outcome::failed));
  CHECK(quota.available_tokens() == 2);
}

TEST_CASE("retry quota: a success without retry pays 1, on a retry that retry's cost; never above capacity", "[resilience]")
{
  RetryQuota quota;
  quota.acquire(Outcome::timed_out);
  quota.acquire(Outcome::failed);
  CHECK(quota.available_tokens() == 485);
  quota.record_success(0);
  CHECK(quota.available_tokens() == 486);
  quota.record_success(10);
  CHECK(quota.available_tokens() == 496);
  quota.record_success(10);
  CHECK(quota.available_tokens() == 500);  // 506 capped
  quota.record_success(0);
  CHECK(quota.available_tokens() == 500);
}
