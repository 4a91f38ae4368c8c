// The cache store held to the caching formulas: an LRU cache of C items under Zipf popularity against
// Che's approximation, FIFO and random against their fixed point, a TTL cache (timer set on a miss)
// against λT/(1+λT) and its stale hits against 1 − (1 − e^(−μT))/(μT). Tolerance ±0.005 absolute at
// 1.2 M measured requests,, the sampling error at that size.
#include "sim/components/cache/cache_store.hpp"
#include "sim/components/cache/cache_theory.hpp"
#include "sim/core/key_space.hpp"

#include <catch2/catch.hpp>
#include <cmath>

using namespace archlab;

namespace {
std::vector<double> zipf_popularity(std::uint64_t n, double alpha)
{
  std::vector<double> shares(n);
  double harmonic = 0;
  for (std::uint64_t k = n; k >= 1; --k)
    harmonic += std::pow(static_cast<double>(k), -alpha);
  for (std::uint64_t k = 1; k <= n; ++k)
    shares[k - 1] = std::pow(static_cast<double>(k), -alpha) / harmonic;
  return shares;
}

// Requests in order (time does not matter to a cache without TTL): the share of hits after the warm-up.
double simulated_hit_ratio(Eviction eviction, std::uint64_t capacity, double alpha, std::uint64_t seed)
{
  const std::uint64_t keys = 10000, warm_up = 300000, measured = 1200000;
  ZipfSampler zipf(keys, alpha);
  CacheStore store(capacity, eviction);
  Rng draws(seed);
  Rng victims(seed + 1);
  std::uint64_t hits = 0;
  for (std::uint64_t i = 0; i < warm_up + measured; ++i) {
    auto key = zipf.sample(draws);
    if (store.find(key)) {
      store.touch(key);
      hits += i >= warm_up;
    } else {
      store.store(key, copy_made(0, 0, std::nullopt), victims.uniform01());
    }
  }
  return static_cast<double>(hits) / static_cast<double>(measured);
}
}  // namespace

TEST_CASE("cache theory: Che's approximation and the FIFO fixed point reproduce the published figures", "[cache][theory]")
{
  // Published figures (Che et al. 2002; Fricker, Robert and Roberts 2012), N = 10^4: (alpha, C) → LRU and FIFO hit ratios.
  CHECK(lru_hit_ratio_che(zipf_popularity(10000, 0.8), 100) == Approx(0.1566).margin(0.0005));
  CHECK(lru_hit_ratio_che(zipf_popularity(10000, 1.0), 1000) == Approx(0.6756).margin(0.0005));
  CHECK(fifo_hit_ratio(zipf_popularity(10000, 0.8), 1000) == Approx(0.3942).margin(0.0005));
  CHECK(fifo_hit_ratio(zipf_popularity(10000, 1.0), 100) == Approx(0.3423).margin(0.0005));
}

TEST_CASE("cache theory: an LRU cache under Zipf popularity matches Che's approximation", "[cache][theory]")
{
  for (auto [alpha, capacity] : {std::pair{0.8, 100}, std::pair{1.0, 1000}}) {
    double expected = lru_hit_ratio_che(zipf_popularity(10000, alpha), capacity);
    double simulated = simulated_hit_ratio(Eviction::lru, capacity, alpha, 11);
    INFO("alpha " << alpha << ", C " << capacity << ": Che " << expected << ", simulated " << simulated);
    CHECK(simulated == Approx(expected).margin(0.005));
  }
}

TEST_CASE("cache theory: FIFO and random caches match their fixed point, below LRU", "[cache][theory]")
{
  auto popularity = zipf_popularity(10000, 0.8);
  double expected = fifo_hit_ratio(popularity, 1000);
  double fifo = simulated_hit_ratio(Eviction::fifo, 1000, 0.8, 21);
  double random = simulated_hit_ratio(Eviction::random, 1000, 0.8, 31);
  INFO("formula " << expected << ", fifo " << fifo << ", random " << random);
  CHECK(fifo == Approx(expected).margin(0.005));
  CHECK(random == Approx(expected).margin(0.005));
  CHECK(expected < lru_hit_ratio_che(popularity, 1000) - 0.02);
}

TEST_CASE("cache theory: a TTL cache whose timer is set on a miss hits λT/(1+λT) and its stale hits follow 1 − (1 − e^(−μT))/(μT)", "[cache][theory]")
{
  // One object, λ = 2 per s, T = 10 s, the origin's copy changing at μ = 0.05 per s.
  const double rate_per_s = 2, ttl_s = 10, update_rate_per_s = 0.05;
  CacheStore store(1, Eviction::lru);
  Rng arrivals(5);
  Rng updates(6);
  double now_s = 0;
  double next_update_s = -std::log(updates.uniform_open01()) / update_rate_per_s;
  std::uint64_t version = 0, requests = 0, hits = 0, stale_hits = 0;
  while (requests < 1000000) {
    now_s += -std::log(arrivals.uniform_open01()) / rate_per_s;
    for (; next_update_s <= now_s; next_update_s += -std::log(updates.uniform_open01()) / update_rate_per_s)
      ++version;
    ++requests;
    const auto* copy = store.find(1);
    if (copy && is_fresh(*copy, now_s)) {
      ++hits;
      stale_hits += copy->version < version;
    } else {
      store.store(1, copy_made(version, now_s, ttl_s), 0);
    }
  }
  double hit_ratio = static_cast<double>(hits) / static_cast<double>(requests);
  double stale_share = static_cast<double>(stale_hits) / static_cast<double>(hits);
  INFO("hit ratio " << hit_ratio << ", stale share " << stale_share);
  CHECK(hit_ratio == Approx(ttl_hit_ratio({1.0}, rate_per_s, ttl_s)).margin(0.005));
  CHECK(stale_hit_fraction(update_rate_per_s, ttl_s) == Approx(0.2131).margin(0.0005));
  CHECK(stale_share == Approx(stale_hit_fraction(update_rate_per_s, ttl_s)).margin(0.005));
}
