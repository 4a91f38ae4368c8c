#include "sim/components/cache/cache_theory.hpp"

#include <cmath>
#include <functional>

namespace archlab {

namespace {
// The T at which occupancy(T) = capacity; occupancy grows with T from 0 towards the number of keys.
double solve_characteristic_time(const std::function<double(double)>& occupancy, double capacity_items)
{
  double low = 0;
  double high = 1;
  while (occupancy(high) < capacity_items && high < 1e300)
    high *= 2;
  for (int i = 0; i < 200; ++i) {
    double middle = 0.5 * (low + high);
    (occupancy(middle) < capacity_items ? low : high) = middle;
  }
  return 0.5 * (low + high);
}

double weighted_sum(const std::vector<double>& popularity, const std::function<double(double)>& per_key)
{
  double sum = 0;
  for (double p : popularity)
    sum += per_key(p);
  return sum;
}
}  // namespace

double lru_hit_ratio_che(const std::vector<double>& popularity, double capacity_items)
{
  if (capacity_items >= static_cast<double>(popularity.size()))
    return 1;
  auto in_cache = [](double p, double t) { return -std::expm1(-p * t); };
  double t = solve_characteristic_time([&](double time) { return weighted_sum(popularity, [&](double p) { return in_cache(p, time); }); },
                                       capacity_items);
  return weighted_sum(popularity, [&](double p) { return p * in_cache(p, t); });
}

double fifo_hit_ratio(const std::vector<double>& popularity, double capacity_items)
{
  if (capacity_items >= static_cast<double>(popularity.size()))
    return 1;
  auto in_cache = [](double p, double t) { return p * t / (1 + p * t); };
  double t = solve_characteristic_time([&](double time) { return weighted_sum(popularity, [&](double p) { return in_cache(p, time); }); },
                                       capacity_items);
  return weighted_sum(popularity, [&](double p) { return p * in_cache(p, t); });
}

double ttl_hit_ratio(const std::vector<double>& popularity, double rate_per_s, double ttl_s)
{
  return weighted_sum(popularity, [&](double p) {
    double x = p * rate_per_s * ttl_s;
    return p * x / (1 + x);
  });
}

double renewed_ttl_hit_ratio(const std::vector<double>& popularity, double rate_per_s, double ttl_s)
{
  return weighted_sum(popularity, [&](double p) { return p * -std::expm1(-p * rate_per_s * ttl_s); });
}

double stale_hit_fraction(double update_rate_per_s, double ttl_s)
{
  double x = update_rate_per_s * ttl_s;
  return x > 0 ? 1 + std::expm1(-x) / x : 0;
}

double collapsed_origin_rate_per_s(double rate_per_s, double fetch_s, double ttl_s)
{
  return 1 / (fetch_s + ttl_s + 1 / rate_per_s);
}

double uncollapsed_origin_rate_per_s(double rate_per_s, double fetch_s, double ttl_s)
{
  double last_arrival_s = fetch_s + std::expm1(-rate_per_s * fetch_s) / rate_per_s;
  return (1 + rate_per_s * fetch_s) / (fetch_s + last_arrival_s + ttl_s + 1 / rate_per_s);
}

}  // namespace archlab
