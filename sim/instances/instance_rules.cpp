#include "sim/instances/instance_rules.hpp"

#include <algorithm>

namespace archlab {

std::string initial_zone(const std::vector<std::string>& zones, std::size_t index)
{
  return zones.empty() ? "" : zones[index % zones.size()];
}

std::string launch_zone(const std::vector<std::string>& zones, const std::set<std::string>& zones_down,
                        const std::vector<std::string>& in_service_zones)
{
  std::string best;
  long best_count = 0;
  bool best_is_down = true;
  for (const auto& zone : zones) {
    bool is_down = zones_down.count(zone) > 0;
    long count = std::count(in_service_zones.begin(), in_service_zones.end(), zone);
    if (best.empty() || (best_is_down && !is_down) || (is_down == best_is_down && count < best_count)) {
      best = zone;
      best_count = count;
      best_is_down = is_down;
    }
  }
  return best;
}

std::optional<std::size_t> instance_to_retire(const std::vector<Life>& lives)
{
  for (std::size_t i = lives.size(); i-- > 0;)
    if (lives[i] == Life::in_service)
      return i;
  return std::nullopt;
}

}  // namespace archlab
