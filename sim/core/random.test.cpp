#include "sim/core/random.hpp"

#include <catch2/catch.hpp>
#include <random>

using namespace archlab;

TEST_CASE("random: Mt19937_64 draws std::mt19937_64's numbers, made lazily or not", "[random]")
{
  for (std::uint64_t seed : {0ULL, 1ULL, 5489ULL, 0x9E3779B97F4A7C15ULL, ~0ULL}) {
    std::mt19937_64 standard(seed);
    Mt19937_64 lazy(seed);
    for (int draw = 0; draw < 1000; ++draw)  // past three rounds of 312 words
      REQUIRE(lazy() == standard());
  }
}

TEST_CASE("random: a copy made part-way through the first round goes on with the same numbers", "[random]")
{
  Mt19937_64 original(42);
  for (int draw = 0; draw < 100; ++draw)
    original();
  Mt19937_64 copy = original;
  std::mt19937_64 standard(42);
  standard.discard(100);
  for (int draw = 0; draw < 500; ++draw) {
    auto expected = standard();
    REQUIRE(copy() == expected);
    REQUIRE(original() == expected);
  }
}
