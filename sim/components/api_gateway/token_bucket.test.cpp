#include "sim/components/api_gateway/token_bucket.hpp"

#include <catch2/catch.hpp>

using namespace archlab;

TEST_CASE("API Gateway token bucket: a full bucket admits the burst at once, then the rate", "[api_gateway]")
{
  TokenBucket bucket(10000, 5000, 5000);
  int admitted = 0;
  for (int i = 0; i < 20000; ++i)  // 20,000 requests spread over 0.1 s
    admitted += bucket.try_take(1, i * 0.1 / 20000) ? 1 : 0;
  CHECK(admitted == Approx(5000 + 10000 * 0.1).margin(2));
}

TEST_CASE("API Gateway token bucket: refills at the rate, never above the burst", "[api_gateway]")
{
  TokenBucket bucket(10, 5, 5);
  for (int i = 0; i < 5; ++i)
    CHECK(bucket.try_take(1, 0));
  CHECK_FALSE(bucket.try_take(1, 0));
  CHECK(bucket.tokens(0.25) == Approx(2.5));
  CHECK_FALSE(bucket.try_take(3, 0.25));  // a refused request takes nothing
  CHECK(bucket.tokens(100) == 5);
}

TEST_CASE("token bucket: steady demand at the rate is never refused", "[api_gateway]")
{
  TokenBucket bucket(100, 1, 0);
  int refused = 0;
  for (int i = 1; i <= 10000; ++i)
    refused += bucket.try_take(1, i / 100.0) ? 0 : 1;
  CHECK(refused == 0);
}
