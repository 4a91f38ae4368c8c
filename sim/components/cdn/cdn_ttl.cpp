#include "sim/components/cdn/cdn_ttl.hpp"

#include <algorithm>

namespace archlab {

double cdn_ttl_s(const CdnTtlRules& rules, const OriginCacheHeaders& headers)
{
  auto from_origin = headers.s_maxage_s ? headers.s_maxage_s : headers.max_age_s;
  if (!from_origin)
    return rules.default_ttl_s;
  return std::max(rules.min_ttl_s, std::min(*from_origin, rules.max_ttl_s));
}

}  // namespace archlab
