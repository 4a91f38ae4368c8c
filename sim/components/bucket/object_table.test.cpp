#include "sim/components/bucket/object_table.hpp"

#include <catch2/catch.hpp>
#include <map>
#include <random>

using namespace archlab;

TEST_CASE("bucket: the object table finds what was put, replaces on a second put and forgets what was removed", "[bucket]")
{
  ObjectTable table;
  CHECK_FALSE(table.find("raw/1.mp4"));
  CHECK_FALSE(table.remove("raw/1.mp4"));
  CHECK_FALSE(table.put("raw/1.mp4", 30));
  CHECK(table.find("raw/1.mp4") == 30u);
  CHECK(table.put("raw/1.mp4", 10) == 30u);
  CHECK(table.find("raw/1.mp4") == 10u);
  CHECK(table.size() == 1);
  CHECK(table.remove("raw/1.mp4") == 10u);
  CHECK_FALSE(table.find("raw/1.mp4"));
  CHECK(table.size() == 0);
  std::string long_name(300, 'x');  // a length over 127 takes two bytes in the arena
  CHECK_FALSE(table.put(long_name, 7));
  CHECK(table.find(long_name) == 7u);
  CHECK_FALSE(table.find(std::string(299, 'x')));
}

TEST_CASE("bucket: the object table agrees with a map through growth, removals and rebuilds", "[bucket]")
{
  ObjectTable table;
  std::map<std::string, std::uint32_t> expected;
  std::mt19937_64 random(7);
  for (int step = 0; step < 200000; ++step) {
    std::string name = "k/" + std::to_string(random() % 5000);
    auto size = static_cast<std::uint32_t>(random() % 1000);
    auto known = expected.find(name);
    std::optional<std::uint32_t> was = known == expected.end() ? std::nullopt : std::optional<std::uint32_t>(known->second);
    switch (random() % 3) {
      case 0:
        REQUIRE(table.put(name, size) == was);
        expected[name] = size;
        break;
      case 1:
        REQUIRE(table.remove(name) == was);
        expected.erase(name);
        break;
      default: REQUIRE(table.find(name) == was);
    }
    REQUIRE(table.size() == expected.size());
  }
}
