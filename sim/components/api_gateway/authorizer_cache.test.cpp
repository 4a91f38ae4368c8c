#include "sim/components/api_gateway/authorizer_cache.hpp"

#include <catch2/catch.hpp>

using archlab::AuthorizerCache;
using archlab::token_of;

TEST_CASE("conformance (API Gateway authorizerResultTtlInSeconds: a result answers its token until the TTL, not renewed by a hit)",
          "[api_gateway][conformance]")
{
  AuthorizerCache cache(300);
  CHECK_FALSE(cache.has_fresh(7, 0));
  cache.store(7, 10);
  CHECK(cache.has_fresh(7, 309.9));
  CHECK_FALSE(cache.has_fresh(7, 310));
  CHECK_FALSE(cache.has_fresh(8, 20));  // another user's token
  AuthorizerCache off(0);                // 0 turns caching off
  off.store(7, 10);
  CHECK_FALSE(off.has_fresh(7, 10));
}

TEST_CASE("authorizer: a request with a key presents its key's token, one without draws among the distinct tokens", "[api_gateway]")
{
  CHECK(token_of(42, 10, 0.99) == 42);
  CHECK(token_of(0, 10, 0.0) == 1);
  CHECK(token_of(0, 10, 0.95) == 10);
  CHECK(token_of(0, 10, 0.999999999999) == 10);
}
