// The discovery's rules, called directly.
#include "sim/components/service_discovery/dns_rules.hpp"

#include <catch2/catch.hpp>

#include <set>

using namespace archlab;

TEST_CASE("conformance (Route 53 multivalue answers: up to eight healthy records, chosen at random)", "[service_discovery][conformance]")
{
  Rng rng(7);
  auto few = dns_answer(3, 8, rng);
  CHECK(std::set<std::size_t>(few.begin(), few.end()) == std::set<std::size_t>{0, 1, 2});
  std::vector<int> times_chosen(20, 0);
  for (int draw = 0; draw < 20000; ++draw) {
    auto answer = dns_answer(20, 8, rng);
    REQUIRE(answer.size() == 8);
    REQUIRE(std::set<std::size_t>(answer.begin(), answer.end()).size() == 8);  // no record twice
    for (auto record : answer)
      ++times_chosen[record];
  }
  for (int count : times_chosen)  // each record in 8/20 of the answers: 8,000 ± 4 σ (σ ≈ 69)
    CHECK(std::abs(count - 8000) < 280);
  CHECK(dns_answer(0, 8, rng).empty());
}

TEST_CASE("service discovery: a caller keeps an answer for its own cache time when its client has one, else the TTL",
          "[service_discovery]")
{
  CHECK(answer_lifetime_s(60, std::nullopt) == 60);
  CHECK(answer_lifetime_s(5, 60.0) == 60);  // libcurl's 60 s DNS cache outlives a 5 s TTL
  CHECK(answer_lifetime_s(60, 0.0) == 0);   // a client that resolves every time
}

TEST_CASE("service discovery: a stale address costs a connect timeout; only a client that tries the next address gets through",
          "[service_discovery]")
{
  std::vector<bool> stale = {true, false, true};
  auto once = route_through_answer(stale, 0, false, 127);
  CHECK_FALSE(once.address);
  CHECK(once.delay_s == 127);
  CHECK(once.stale_addresses_tried == 1);

  auto onward = route_through_answer(stale, 2, true, 1);
  REQUIRE(onward.address);
  CHECK(*onward.address == 1);  // 2 is stale, then around to 0 (stale), then 1
  CHECK(onward.delay_s == 2);
  CHECK(onward.stale_addresses_tried == 2);

  auto live = route_through_answer(stale, 1, false, 127);
  REQUIRE(live.address);
  CHECK(*live.address == 1);
  CHECK(live.delay_s == 0);

  auto all_stale = route_through_answer({true, true}, 1, true, 1);
  CHECK_FALSE(all_stale.address);
  CHECK(all_stale.delay_s == 2);
  CHECK_FALSE(route_through_answer({}, 0, true, 1).address);
}
