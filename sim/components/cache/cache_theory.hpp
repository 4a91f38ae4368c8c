// The hit ratios a cache should show, from the formulas of the caching literature, for the theory
// tests that hold CacheStore and the cache and cdn components to them. Popularities are the shares
// p_i of a request rate λ (independent reference model: Poisson requests, fixed popularity).
#pragma once

#include <vector>

namespace archlab {

// LRU of C items: Che's approximation (Che, Tung and Wang, IEEE JSAC 20(7), 2002). The characteristic
// time T solves Σ (1 − e^(−p_i T)) = C, and H = Σ p_i (1 − e^(−p_i T)) (time in units of 1/λ).
double lru_hit_ratio_che(const std::vector<double>& popularity, double capacity_items);
// FIFO or random of C items (the same under IRM; Martina, Garetto and Leonardi, INFOCOM 2014):
// T solves Σ p_i T/(1 + p_i T) = C, and H = Σ p_i · p_i T/(1 + p_i T).
double fifo_hit_ratio(const std::vector<double>& popularity, double capacity_items);
// A TTL cache whose timer is set on a miss and not reset on a hit (Redis SET with EX, CloudFront's
// expiry), unbounded: each key's hit ratio λ_i T/(1 + λ_i T) (Jung, Berger and Balakrishnan, 2003).
double ttl_hit_ratio(const std::vector<double>& popularity, double rate_per_s, double ttl_s);
// The same, with the timer reset on every hit (an item kept while it is asked for at least every T:
// Redis GETEX with EX, Memcached's gat): a request hits when the one before came within T, so each
// key's hit ratio is 1 − e^(−λ_i T).
double renewed_ttl_hit_ratio(const std::vector<double>& popularity, double rate_per_s, double ttl_s);
// The share of hits that serve a stale copy when the origin's copy changes at Poisson rate μ and the
// timer is not reset on a hit: 1 − (1 − e^(−μT))/(μT).
double stale_hit_fraction(double update_rate_per_s, double ttl_s);
// The rate of origin fetches for one object with Poisson requests at rate λ, fetch time D and a TTL
// T set on the fetch, when concurrent misses are collapsed into one fetch: 1/(D + T + 1/λ).
double collapsed_origin_rate_per_s(double rate_per_s, double fetch_s, double ttl_s);
// The same without collapsing: every request arriving during the first fetch makes its own, 1 + λD
// per cycle, and each answer stores a fresh copy, so the TTL runs from the last of them — the last
// arrival in [0, D), on average D − (1 − e^(−λD))/λ after the first: (1 + λD)/(2D − (1 − e^(−λD))/λ + T + 1/λ).
// (The simpler (1 + λD)/(D + T + 1/λ) holds for a cache that keeps the first answer only.)
double uncollapsed_origin_rate_per_s(double rate_per_s, double fetch_s, double ttl_s);

}  // namespace archlab
