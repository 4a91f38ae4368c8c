// The pool's pure rules: where instances are placed and which one scale-in retires.
#include "sim/instances/instance_rules.hpp"

#include <catch2/catch.hpp>

using archlab::Life;

namespace {
const std::vector<std::string> zones = {"us-east-1a", "us-east-1b", "us-east-1c"};
}

TEST_CASE("instance rules: the instances there from the start take the zones in turn", "[instances]")
{
  CHECK(archlab::initial_zone(zones, 0) == "us-east-1a");
  CHECK(archlab::initial_zone(zones, 2) == "us-east-1c");
  CHECK(archlab::initial_zone(zones, 4) == "us-east-1b");
  CHECK(archlab::initial_zone({}, 3).empty());  // no zones named: none
}

TEST_CASE("instance rules: Auto Scaling launches into the zone with the fewest InService instances, the first listed on a tie", "[instances]")
{
  CHECK(archlab::launch_zone(zones, {}, {"us-east-1a", "us-east-1b", "us-east-1a"}) == "us-east-1c");
  CHECK(archlab::launch_zone(zones, {}, {"us-east-1a", "us-east-1c"}) == "us-east-1b");
  CHECK(archlab::launch_zone(zones, {}, {}) == "us-east-1a");
  CHECK(archlab::launch_zone({}, {}, {}).empty());
}

TEST_CASE("instance rules: a zone that is down gets no launch while another is up, however few it holds", "[instances]")
{
  // us-east-1a is empty because it is down: the launch goes to the emptier of the other two.
  CHECK(archlab::launch_zone(zones, {"us-east-1a"}, {"us-east-1b", "us-east-1b", "us-east-1c"}) == "us-east-1c");
  CHECK(archlab::launch_zone(zones, {"us-east-1a", "us-east-1c"}, {"us-east-1b", "us-east-1b"}) == "us-east-1b");
  // Every zone down: the fewest among them still (the launch has to go somewhere).
  CHECK(archlab::launch_zone(zones, {"us-east-1a", "us-east-1b", "us-east-1c"}, {"us-east-1a"}) == "us-east-1b");
}

TEST_CASE("instance rules: scale-in retires the newest instance still in service", "[instances]")
{
  CHECK(archlab::instance_to_retire({Life::in_service, Life::in_service, Life::in_service}) == 2u);
  // Newer ones already retiring, down or terminated are passed over.
  CHECK(archlab::instance_to_retire({Life::in_service, Life::in_service, Life::retiring, Life::down, Life::terminated}) == 1u);
  CHECK_FALSE(archlab::instance_to_retire({Life::retiring, Life::terminated}).has_value());
  CHECK_FALSE(archlab::instance_to_retire({}).has_value());
}
