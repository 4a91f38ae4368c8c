// Key spaces held to their formulas: Zipf's share of rank k is 1/(k^alpha H(N, alpha)); uniform
// spreads evenly; hot keys take their declared share. Tolerances are four standard errors of a share.
#include "sim/core/key_space.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <map>

using namespace archlab;

namespace {
double four_standard_errors(double share, double draws) { return 4 * std::sqrt(share * (1 - share) / draws); }

std::map<std::uint64_t, double> shares(const KeySpace& keys, int draws, std::uint64_t seed = 3)
{
  Rng rng(seed);
  std::map<std::uint64_t, double> counts;
  for (int i = 0; i < draws; ++i)
    counts[keys.draw(rng)] += 1.0 / draws;
  return counts;
}
}  // namespace

TEST_CASE("key space: Zipf over 100 keys with alpha 1 gives rank k the share 1/(k H(100))", "[key_space]")
{
  constexpr int draws = 1'000'000;
  KeySpace keys(KeySpace::Shape::zipf, 100, 1.0, {});
  auto seen = shares(keys, draws);
  for (std::uint64_t rank : {1, 2, 3, 10, 50, 100}) {
    double expected = zipf_share(rank, 100, 1.0);
    CHECK(std::abs(seen[rank] - expected) < four_standard_errors(expected, draws));
  }
  CHECK(zipf_share(1, 100, 1.0) == Approx(1 / 5.18737751763962).epsilon(1e-12));  // H(100) = 5.1873775...
  CHECK(seen.size() == 100);
}

TEST_CASE("key space: Zipf with alpha 0.6 over a million keys needs no table and keeps its head", "[key_space]")
{
  constexpr int draws = 400'000;
  KeySpace keys(KeySpace::Shape::zipf, 1'000'000, 0.6, {});
  auto seen = shares(keys, draws);
  for (std::uint64_t rank : {1, 2, 100}) {
    double expected = zipf_share(rank, 1'000'000, 0.6);
    CHECK(std::abs(seen[rank] - expected) < four_standard_errors(expected, draws));
  }
  CHECK(seen.begin()->first == 1);
  CHECK(seen.rbegin()->first <= 1'000'000);
  CHECK(seen.size() > 100'000);  // the tail is drawn too
}

TEST_CASE("key space: uniform spreads evenly; hot keys take their share first and come first in numbering", "[key_space]")
{
  constexpr int draws = 200'000;
  auto uniform = shares(KeySpace(KeySpace::Shape::uniform, 10, 1, {}), draws);
  REQUIRE(uniform.size() == 10);
  for (const auto& [key, share] : uniform)
    CHECK(std::abs(share - 0.1) < four_standard_errors(0.1, draws));

  KeySpace hot(KeySpace::Shape::uniform, 4, 1, {{"leaderboard", 0.3}, {"home", 0.1}});
  auto seen = shares(hot, draws);
  CHECK(std::abs(seen[1] - 0.3) < four_standard_errors(0.3, draws));
  CHECK(std::abs(seen[2] - 0.1) < four_standard_errors(0.1, draws));
  for (std::uint64_t key = 3; key <= 6; ++key)
    CHECK(std::abs(seen[key] - 0.15) < four_standard_errors(0.15, draws));  // the other 60% over 4 keys
  CHECK(hot.key_name(1) == "leaderboard");
  CHECK(hot.key_name(3) == "key-1");
  CHECK(hot.key_count() == 6);
}

TEST_CASE("key space: the same seed draws the same keys", "[key_space]")
{
  KeySpace keys(KeySpace::Shape::zipf, 1000, 0.9, {{"hot", 0.05}});
  Rng a(11), b(11);
  for (int i = 0; i < 1000; ++i)
    REQUIRE(keys.draw(a) == keys.draw(b));
}

TEST_CASE("key space: the model language, with hot shares that cannot add up refused", "[key_space]")
{
  ValidationContext context;
  auto keys = validate_param(nlohmann::json{{"dist", "zipf"}, {"count", 50}}, key_space_param("keys"), "components.users.keys", context);
  REQUIRE(context.problems.empty());
  CHECK(keys.at("alpha") == 1);
  auto space = KeySpace::from_json(keys);
  CHECK(space.key_count() == 50);

  std::vector<Problem> problems;
  check_key_space({{"count", 5}, {"hot_keys", {{{"name", "a"}, {"share", 0.7}}, {{"name", "b"}, {"share", 0.5}}}}}, "k", problems);
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].path == "k.hot_keys");
  problems.clear();
  check_key_space({{"count", 0}, {"hot_keys", {{{"name", "a"}, {"share", 0.5}}}}}, "k", problems);
  CHECK(problems.size() == 1);
}
