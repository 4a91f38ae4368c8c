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

TEST_CASE("rng: a short stream (SplitMix64) is reproducible, differs by seed, and is uniform", "[random]")
{
  archlab::Rng a(archlab::Rng::ShortStream{}, 42), b(archlab::Rng::ShortStream{}, 42), c(archlab::Rng::ShortStream{}, 43);
  double sum = 0;
  bool differs = false;
  for (int i = 0; i < 100000; ++i) {
    double x = a.uniform01();
    CHECK(x == b.uniform01());
    differs = differs || x != c.uniform01();
    REQUIRE((x >= 0 && x < 1));
    sum += x;
  }
  CHECK(differs);
  CHECK(sum / 100000 == Approx(0.5).margin(0.005));
}
