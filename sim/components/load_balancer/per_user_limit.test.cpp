// The per-user limit's decisions, called directly.
#include "sim/components/load_balancer/per_user_limit.hpp"

#include <catch2/catch.hpp>

using archlab::PerUserLimit;

TEST_CASE("a user is admitted once per min_interval_s, counted from their last admitted request", "[load_balancer][per_user_limit]")
{
  PerUserLimit limit(5);
  CHECK(limit.admit(7, 1));
  CHECK_FALSE(limit.admit(7, 3));
  CHECK_FALSE(limit.admit(7, 5.999));  // refusals do not move the last time
  CHECK(limit.admit(7, 6));
  CHECK(limit.admit(8, 6.5));  // another user
  CHECK_FALSE(limit.admit(7, 10.9));
  for (int i = 0; i < 100; ++i)
    CHECK(limit.admit(0, 1));  // nobody in particular is never limited
}

TEST_CASE("one write per 5 s per user caps 5,000 eager users at 1,000 writes a second", "[load_balancer][per_user_limit]")
{
  // Each of 5,000 users tries every 0.1 s for 60 s (offset so they are not in step): each is admitted
  // at 0, 5, 10, ..., 55 s: 12 times.
  PerUserLimit limit(5);
  long admitted = 0;
  for (int tick = 0; tick < 600; ++tick)
    for (std::uint32_t user = 1; user <= 5000; ++user)
      admitted += limit.admit(user, tick * 0.1 + user * 1e-6);
  CHECK(admitted == 12 * 5000);
}
