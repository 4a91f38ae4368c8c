// SNS delivery retry schedules held to AWS's table ("Amazon SNS message delivery retries").
#include "sim/components/topic/delivery_policy.hpp"

#include <catch2/catch.hpp>

using namespace archlab;

TEST_CASE("SNS conformance: managed endpoints (SQS, Lambda) get 100,015 attempts over about 23 days", "[topic][conformance]")
{
  auto policy = managed_endpoint_policy();
  CHECK(policy.num_retries + 1 == 100015);
  // 3 attempts without delay: the delivery and two retries at once.
  CHECK(*retry_delay_s(policy, 1) == 0);
  CHECK(*retry_delay_s(policy, 2) == 0);
  // 2 one second apart.
  CHECK(*retry_delay_s(policy, 3) == 1);
  CHECK(*retry_delay_s(policy, 4) == 1);
  // 10 backing off exponentially from 1 s to 20 s, each longer than the one before.
  CHECK(*retry_delay_s(policy, 5) == Approx(1));
  for (int retry = 6; retry <= 14; ++retry)
    CHECK(*retry_delay_s(policy, retry) > *retry_delay_s(policy, retry - 1));
  CHECK(*retry_delay_s(policy, 14) == Approx(20));
  // 100,000 20 s apart, then nothing.
  CHECK(*retry_delay_s(policy, 15) == 20);
  CHECK(*retry_delay_s(policy, 100014) == 20);
  CHECK_FALSE(retry_delay_s(policy, 100015));
  double days = total_retry_time_s(policy) / 86400;
  CHECK(days > 23);
  CHECK(days < 23.2);
}

TEST_CASE("SNS conformance: HTTP/S by default retries 3 times, 20 s apart", "[topic][conformance]")
{
  auto policy = http_default_policy();
  CHECK(*retry_delay_s(policy, 1) == 20);
  CHECK(*retry_delay_s(policy, 2) == 20);
  CHECK(*retry_delay_s(policy, 3) == 20);
  CHECK_FALSE(retry_delay_s(policy, 4));
  CHECK(total_retry_time_s(policy) == 60);
  CHECK(http_policy_problem(policy).empty());
}

TEST_CASE("SNS delivery policy: the four phases in order, the backoff phase gets the retries left", "[topic]")
{
  DeliveryPolicy policy{.num_retries = 10, .num_no_delay_retries = 1, .num_min_delay_retries = 2, .num_max_delay_retries = 2,
                        .min_delay_s = 5, .max_delay_s = 45, .backoff = BackoffFunction::linear};
  REQUIRE(policy.backoff_retries() == 5);
  const double expected[] = {0, 5, 5, 5, 15, 25, 35, 45, 45, 45};
  for (int retry = 1; retry <= 10; ++retry)
    CHECK(*retry_delay_s(policy, retry) == Approx(expected[retry - 1]));
  CHECK_FALSE(retry_delay_s(policy, 0));
  CHECK_FALSE(retry_delay_s(policy, 11));
  CHECK(total_retry_time_s(policy) == Approx(225));
}

TEST_CASE("SNS delivery policy: every backoff function runs from the minimum to the maximum delay", "[topic]")
{
  for (auto function : {BackoffFunction::linear, BackoffFunction::arithmetic, BackoffFunction::geometric, BackoffFunction::exponential}) {
    DeliveryPolicy policy{.num_retries = 6, .min_delay_s = 2, .max_delay_s = 64, .backoff = function};
    CHECK(*retry_delay_s(policy, 1) == Approx(2));
    CHECK(*retry_delay_s(policy, 6) == Approx(64));
    for (int retry = 2; retry <= 6; ++retry)
      CHECK(*retry_delay_s(policy, retry) > *retry_delay_s(policy, retry - 1));
  }
  DeliveryPolicy exponential{.num_retries = 7, .min_delay_s = 1, .max_delay_s = 64, .backoff = BackoffFunction::exponential};
  CHECK(*retry_delay_s(exponential, 4) == Approx(8));  // doubling: 1, 2, 4, 8, …, 64
}

TEST_CASE("SNS conformance: an HTTP/S policy may retry for at most 3,600 s in all", "[topic][conformance]")
{
  DeliveryPolicy fits{.num_retries = 36, .min_delay_s = 100, .max_delay_s = 100};
  CHECK(total_retry_time_s(fits) == Approx(3600));
  CHECK(http_policy_problem(fits).empty());
  DeliveryPolicy too_long{.num_retries = 37, .min_delay_s = 100, .max_delay_s = 100};
  CHECK(http_policy_problem(too_long).find("3,600") != std::string::npos);
  DeliveryPolicy too_many{.num_retries = 101, .num_no_delay_retries = 101, .min_delay_s = 1, .max_delay_s = 1};
  CHECK_FALSE(http_policy_problem(too_many).empty());
  DeliveryPolicy phases_overflow{.num_retries = 3, .num_no_delay_retries = 2, .num_max_delay_retries = 2};
  CHECK_FALSE(http_policy_problem(phases_overflow).empty());
  CHECK(backoff_function_named("geometric") == BackoffFunction::geometric);
  CHECK_FALSE(backoff_function_named("cubic"));
}
