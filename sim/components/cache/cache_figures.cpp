#include "sim/components/cache/cache_figures.hpp"

namespace archlab {

void CacheFigures::add_to(nlohmann::json& summary) const
{
  auto lookups = hits + misses;
  summary["hits"] = hits;
  summary["misses"] = misses;
  summary["hit_ratio"] = lookups ? static_cast<double>(hits) / static_cast<double>(lookups) : 0.0;
  summary["stale_hits"] = stale_hits;
  summary["stale_hit_ratio"] = hits ? static_cast<double>(stale_hits) / static_cast<double>(hits) : 0.0;
  summary["origin_requests"] = origin_requests;
  summary["origin_failures"] = origin_failures;
  summary["evictions"] = evictions;
  summary["expirations"] = expirations;
  summary["served_age_s"] = {{"mean", served_age_s.mean()}, {"p99", served_age_s.percentile(0.99)}};
}

}  // namespace archlab
