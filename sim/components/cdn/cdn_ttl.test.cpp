// Conformance: CloudFront's expiration rules (Developer Guide, "Managing how long content stays in the
// cache (expiration)"): s-maxage over max-age, capped by the maximum TTL, raised to the minimum TTL,
// the default TTL when the origin sends neither.
#include "sim/components/cdn/cdn_ttl.hpp"

#include <catch2/catch.hpp>

using archlab::cdn_ttl_s;
using archlab::CdnTtlRules;
using archlab::OriginCacheHeaders;

TEST_CASE("CloudFront TTL: with no Cache-Control from the origin, the default TTL (1 day unless set)", "[cdn][conformance]")
{
  CHECK(cdn_ttl_s({}, {}) == 86400);
  CHECK(cdn_ttl_s({.min_ttl_s = 0, .default_ttl_s = 60, .max_ttl_s = 3600}, {}) == 60);
}

TEST_CASE("CloudFront TTL: the origin's max-age within min and max TTL is kept, beyond them clamped", "[cdn][conformance]")
{
  CdnTtlRules rules{.min_ttl_s = 5, .default_ttl_s = 60, .max_ttl_s = 600};
  CHECK(cdn_ttl_s(rules, {.max_age_s = 120}) == 120);
  CHECK(cdn_ttl_s(rules, {.max_age_s = 7200}) == 600);  // capped by the maximum TTL
  CHECK(cdn_ttl_s(rules, {.max_age_s = 1}) == 5);       // raised to the minimum TTL
  CHECK(cdn_ttl_s({.min_ttl_s = 0}, {.max_age_s = 0}) == 0);  // max-age=0 with min TTL 0: not kept
}

TEST_CASE("CloudFront TTL: s-maxage takes precedence over max-age", "[cdn][conformance]")
{
  CHECK(cdn_ttl_s({}, {.max_age_s = 30, .s_maxage_s = 300}) == 300);
}
