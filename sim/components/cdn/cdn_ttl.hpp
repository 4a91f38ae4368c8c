// How long CloudFront keeps an object (the Expiration page of its developer guide): the origin's
// s-maxage if it sends one, else its max-age, capped by the behaviour's maximum TTL and raised to its
// minimum TTL; with neither header, the behaviour's default TTL. Pure, with its conformance tests.
#pragma once

#include <optional>

namespace archlab {

struct CdnTtlRules {
  double min_ttl_s = 0;              // CloudFront's defaults: 0, 1 day, 1 year
  double default_ttl_s = 86400;
  double max_ttl_s = 31536000;
};

struct OriginCacheHeaders {
  std::optional<double> max_age_s;   // Cache-Control: max-age
  std::optional<double> s_maxage_s;  // Cache-Control: s-maxage, for shared caches: takes precedence
};

double cdn_ttl_s(const CdnTtlRules& rules, const OriginCacheHeaders& headers);

}  // namespace archlab
