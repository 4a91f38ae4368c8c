// How many pollers an SQS event-source mapping runs: Lambda starts with 5 and, each minute in which
// messages remain, adds up to 300 more, never past the most batches it may have in flight at once
// (1,000, or the mapping's maximum_concurrency). With no backlog it drops back to its start.
#pragma once

#include <optional>

namespace archlab {

struct PollerLimits {
  int start = 5;             // Lambda's initial pollers (fewer when maximum_concurrency is lower)
  int added_per_minute = 300;
  int most = 1000;           // concurrent batches: 1,000, or maximum_concurrency
};

// The limits for a mapping with the given maximum_concurrency (absent: Lambda's own 1,000).
PollerLimits poller_limits(std::optional<int> maximum_concurrency);

// The pollers for the next minute, given those running now and whether messages remained in the
// queue during this one.
int next_poller_count(const PollerLimits& limits, int pollers_now, bool has_backlog);

}  // namespace archlab
