#include "sim/resilience/backoff.hpp"

#include <catch2/catch.hpp>

using namespace archlab;

namespace {
BackoffSettings settings_with(Jitter jitter) { return {.base_ms = 100, .cap_ms = 1000, .jitter = jitter}; }
}  // namespace

TEST_CASE("backoff none: base·2^k, then the cap", "[resilience]")
{
  auto settings = settings_with(Jitter::none);
  CHECK(backoff_delay_ms(settings, 0, 0, 0.7) == 100);
  CHECK(backoff_delay_ms(settings, 1, 0, 0.7) == 200);
  CHECK(backoff_delay_ms(settings, 3, 0, 0.7) == 800);
  CHECK(backoff_delay_ms(settings, 4, 0, 0.7) == 1000);     // 1600 capped
  CHECK(backoff_delay_ms(settings, 5000, 0, 0.7) == 1000);  // no overflow for absurd k
}

TEST_CASE("backoff full: the draw scales the capped exponential from 0", "[resilience]")
{
  auto settings = settings_with(Jitter::full);
  CHECK(backoff_delay_ms(settings, 2, 0, 0.0) == 0);
  CHECK(backoff_delay_ms(settings, 2, 0, 0.25) == Approx(100));  // 0.25 × 400
  CHECK(backoff_delay_ms(settings, 6, 0, 0.5) == Approx(500));   // 0.5 × cap
}

TEST_CASE("backoff equal: half of the capped exponential, plus a random half", "[resilience]")
{
  auto settings = settings_with(Jitter::equal);
  CHECK(backoff_delay_ms(settings, 2, 0, 0.0) == Approx(200));
  CHECK(backoff_delay_ms(settings, 2, 0, 0.5) == Approx(300));
  CHECK(backoff_delay_ms(settings, 9, 0, 0.999999) == Approx(1000).epsilon(1e-5));
}

TEST_CASE("backoff decorrelated: between base and three times the previous wait, capped", "[resilience]")
{
  auto settings = settings_with(Jitter::decorrelated);
  // The first retry starts from base whatever is passed: random(100, 300).
  CHECK(backoff_delay_ms(settings, 0, 12345, 0.0) == Approx(100));
  CHECK(backoff_delay_ms(settings, 0, 12345, 0.5) == Approx(200));
  // Later ones grow from the previous wait: random(100, 3 × 250 = 750).
  CHECK(backoff_delay_ms(settings, 1, 250, 0.5) == Approx(425));
  CHECK(backoff_delay_ms(settings, 1, 900, 0.9) == 1000);  // random(100, 2700) = 2440, capped
}

TEST_CASE("jitter names read back to the same mode", "[resilience]")
{
  for (const auto& name : jitter_names())
    CHECK(jitter_name(*jitter_from_name(name)) == name);
  CHECK_FALSE(jitter_from_name("fulll"));
}
