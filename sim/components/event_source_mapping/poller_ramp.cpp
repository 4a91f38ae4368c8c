#include "sim/components/event_source_mapping/poller_ramp.hpp"

#include <algorithm>

namespace archlab {

PollerLimits poller_limits(std::optional<int> maximum_concurrency)
{
  PollerLimits limits;
  if (maximum_concurrency) {
    limits.most = *maximum_concurrency;
    limits.start = std::min(limits.start, limits.most);
  }
  return limits;
}

int next_poller_count(const PollerLimits& limits, int pollers_now, bool has_backlog)
{
  if (!has_backlog)
    return limits.start;
  return std::min(limits.most, pollers_now + limits.added_per_minute);
}

}  // namespace archlab
