#include "sim/components/event_source_mapping/poller_ramp.hpp"

#include <catch2/catch.hpp>

namespace archlab {

TEST_CASE("poller ramp: 5 pollers, then up to 300 more a minute while messages remain, to 1,000", "[event_source_mapping][conformance]")
{
  // AWS Lambda, SQS event source scaling (services-sqs-scaling.html): starts with 5 concurrent
  // batches, adds up to 300 per minute while messages remain, at most 1,000 at once.
  auto limits = poller_limits(std::nullopt);
  REQUIRE(limits.start == 5);
  int pollers = limits.start;
  std::vector<int> by_minute;
  for (int minute = 0; minute < 5; ++minute)
    by_minute.push_back(pollers = next_poller_count(limits, pollers, true));
  CHECK(by_minute == std::vector<int>{305, 605, 905, 1000, 1000});
}

TEST_CASE("poller ramp: no backlog drops back to the start", "[event_source_mapping]")
{
  auto limits = poller_limits(std::nullopt);
  CHECK(next_poller_count(limits, 605, false) == 5);
  CHECK(next_poller_count(limits, 5, false) == 5);
}

TEST_CASE("poller ramp: maximum_concurrency caps the pollers, and the start when below 5", "[event_source_mapping][conformance]")
{
  // AWS: MaximumConcurrency (2..1,000) limits the concurrent invokes the event source makes.
  auto limits = poller_limits(20);
  CHECK(limits.start == 5);
  CHECK(next_poller_count(limits, 5, true) == 20);
  auto two = poller_limits(2);
  CHECK(two.start == 2);
  CHECK(next_poller_count(two, 2, true) == 2);
}

}  // namespace archlab
