#include "sim/run/watchdog.hpp"

#include <catch2/catch.hpp>

using namespace archlab;

TEST_CASE("watchdog: events piling up at one simulated time end the run", "[watchdog]")
{
  Watchdog watchdog(1000, 1'000'000);
  watchdog.check(0.5, 100);
  watchdog.check(0.5, 900);
  CHECK_THROWS_WITH(watchdog.check(0.5, 1100), Catch::Contains("1000 events at simulated time 0.500000 s"));
}

TEST_CASE("watchdog: time moving on resets the count; the event bound holds regardless", "[watchdog]")
{
  Watchdog watchdog(1000, 10'000);
  for (std::uint64_t events = 500; events < 10'000; events += 500)
    CHECK_NOTHROW(watchdog.check(static_cast<double>(events), events));
  CHECK_THROWS_WITH(watchdog.check(99.0, 10'000), Catch::Contains("stopped after 10000 events"));
}

TEST_CASE("watchdog: more events waiting at once than any model needs end the run", "[watchdog]")
{
  Watchdog watchdog(1000, 1'000'000, 5000);
  CHECK_NOTHROW(watchdog.check(1.0, 100, 4999));
  CHECK_THROWS_WITH(watchdog.check(2.0, 200, 5000), Catch::Contains("5000 events waiting"));
}

