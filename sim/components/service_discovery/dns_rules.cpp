#include "sim/components/service_discovery/dns_rules.hpp"

#include <algorithm>
#include <numeric>

namespace archlab {

std::vector<std::size_t> dns_answer(std::size_t registered, std::size_t max_records, Rng& rng)
{
  std::vector<std::size_t> records(registered);
  std::iota(records.begin(), records.end(), std::size_t{0});
  // A partial Fisher-Yates shuffle: the first `kept` places are a uniform random ordered choice.
  std::size_t kept = std::min(registered, max_records);
  for (std::size_t i = 0; i < kept; ++i)
    std::swap(records[i], records[i + rng.below(registered - i)]);
  records.resize(kept);
  return records;
}

double answer_lifetime_s(double ttl_s, std::optional<double> client_cache_s)
{
  return client_cache_s ? *client_cache_s : ttl_s;
}

AddressRoute route_through_answer(const std::vector<bool>& is_stale, std::size_t first, bool tries_next_address,
                                  double connect_timeout_s)
{
  AddressRoute route;
  std::size_t count = is_stale.size();
  if (count == 0)
    return route;
  std::size_t tries = tries_next_address ? count : 1;
  for (std::size_t k = 0; k < tries; ++k) {
    std::size_t address = (first + k) % count;
    if (!is_stale[address]) {
      route.address = address;
      return route;
    }
    route.delay_s += connect_timeout_s;
    ++route.stale_addresses_tried;
  }
  return route;
}

}  // namespace archlab
