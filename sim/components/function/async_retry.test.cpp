#include "sim/components/function/async_retry.hpp"

#include <catch2/catch.hpp>

using namespace archlab;

TEST_CASE("async retries: a function error is retried 1 min after the first failure, 2 min after the second, then given up", "[function]")
{
  AsyncRetrySettings settings;
  auto first = after_function_error(settings, 0, 10, 1);
  CHECK(first.step == AsyncStep::retry);
  CHECK(first.at_s == 70);
  auto second = after_function_error(settings, 0, 80, 2);
  CHECK(second.step == AsyncStep::retry);
  CHECK(second.at_s == 200);
  auto third = after_function_error(settings, 0, 210, 3);
  CHECK(third.step == AsyncStep::exhausted);
  CHECK(third.at_s == 210);
}

TEST_CASE("async retries: maximum_retry_attempts 0 gives up at the first error", "[function]")
{
  AsyncRetrySettings settings{.maximum_retry_attempts = 0};
  CHECK(after_function_error(settings, 0, 5, 1).step == AsyncStep::exhausted);
}

TEST_CASE("async retries: throttles back off from 1 s, doubling, to 5 min", "[function]")
{
  CHECK(throttle_retry_delay_s(1) == 1);
  CHECK(throttle_retry_delay_s(2) == 2);
  CHECK(throttle_retry_delay_s(9) == 256);
  CHECK(throttle_retry_delay_s(10) == 300);
  CHECK(throttle_retry_delay_s(1000) == 300);
}

TEST_CASE("async retries: an event whose next try would come after its maximum age is given up when its age runs out", "[function]")
{
  AsyncRetrySettings settings{.maximum_retry_attempts = 2, .maximum_event_age_s = 100};
  auto throttled = after_throttle(settings, 0, 90, 9);  // the next try would be at 346
  CHECK(throttled.step == AsyncStep::aged_out);
  CHECK(throttled.at_s == 100);
  auto error = after_function_error(settings, 0, 50, 1);  // 110 > 100
  CHECK(error.step == AsyncStep::aged_out);
  CHECK(error.at_s == 100);
  CHECK(after_throttle(settings, 0, 10, 1).step == AsyncStep::retry);
}

TEST_CASE("async retries: with the default 6 h a throttled event is tried about 80 times before it ages out", "[function]")
{
  AsyncRetrySettings settings;
  double now_s = 0;
  int throttles = 0;
  while (true) {
    auto decision = after_throttle(settings, 0, now_s, ++throttles);
    if (decision.step != AsyncStep::retry) {
      CHECK(decision.at_s == 21600);
      break;
    }
    now_s = decision.at_s;
  }
  // 511 s in the first 9 doublings, then (21600 - 511) / 300 = 70 more: 80 tries in all.
  CHECK(throttles == 80);
}
