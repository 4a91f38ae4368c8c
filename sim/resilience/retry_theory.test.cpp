// The retry rules held to the closed forms by Monte Carlo: each test simulates calls through
// decide_after_attempt with a seeded stream, so the numbers are the same on every run.
#include "sim/resilience/retry_theory.hpp"

#include "sim/core/random.hpp"
#include "sim/resilience/retry_policy.hpp"

#include <catch2/catch.hpp>
#include <cmath>

using namespace archlab;

namespace {
constexpr int simulated_calls = 200'000;

struct CallTotals {
  double attempts = 0;
  double calls_failed = 0;
  double backoff_ms = 0;
  double backoff_squared_ms2 = 0;  // Σ (one call's total wait)²: the spread of the mean
  std::vector<double> delay_sum_ms;  // by retry index
  std::vector<double> delay_count;
};

// Sends `calls` calls whose attempts each fail with `failure_probability`, independently.
CallTotals simulate(const RetrySettings& settings, double failure_probability, Rng& rng, RetryQuota* quota = nullptr)
{
  CallTotals totals;
  totals.delay_sum_ms.assign(static_cast<std::size_t>(settings.max_attempts), 0);
  totals.delay_count.assign(static_cast<std::size_t>(settings.max_attempts), 0);
  for (int call = 0; call < simulated_calls; ++call) {
    RetryState state;
    double call_backoff_ms = 0;
    while (true) {
      auto outcome = rng.uniform01() < failure_probability ? Outcome::failed : Outcome::ok;
      auto decision = decide_after_attempt(settings, state, outcome, quota, rng.uniform01());
      if (!decision.is_retry()) {
        totals.calls_failed += outcome == Outcome::ok ? 0 : 1;
        break;
      }
      auto index = static_cast<std::size_t>(state.attempts_made - 1);
      totals.delay_sum_ms[index] += decision.delay_ms;
      totals.delay_count[index] += 1;
      call_backoff_ms += decision.delay_ms;
    }
    totals.backoff_ms += call_backoff_ms;
    totals.backoff_squared_ms2 += call_backoff_ms * call_backoff_ms;
    totals.attempts += state.attempts_made;
  }
  return totals;
}

RetrySettings settings_with(int max_attempts, Jitter jitter, double cap_ms = 1000)
{
  RetrySettings settings;
  settings.max_attempts = max_attempts;
  settings.backoff = {.base_ms = 100, .cap_ms = cap_ms, .jitter = jitter};
  return settings;
}
}  // namespace

TEST_CASE("retry theory: the closed forms at their edges", "[resilience]")
{
  CHECK(expected_attempts(0.5, 3) == Approx(1.75));
  CHECK(expected_attempts(0, 3) == 1);
  CHECK(expected_attempts(1, 3) == 3);
  CHECK(final_failure_probability(0.5, 3) == Approx(0.125));
  CHECK(worst_case_amplification({3, 3, 3, 3, 3}) == 243);
  CHECK(worst_case_amplification({}) == 1);
  BackoffSettings decorrelated{.base_ms = 100, .cap_ms = 2700, .jitter = Jitter::decorrelated};
  CHECK(expected_retry_delay_ms(decorrelated, 0) == Approx(200));   // random(100, 300)
  CHECK(expected_retry_delay_ms(decorrelated, 1) == Approx(350));   // (100 + 3·200)/2
  CHECK(expected_retry_delay_ms(decorrelated, 2) == Approx(575));   // 3^3·100 = 2700 <= cap: still exact
  CHECK_FALSE(expected_retry_delay_ms(decorrelated, 3));            // 8100 > cap: the cap can bind
}

TEST_CASE("retry theory: mean attempts per call and final failures match (1-p^n)/(1-p) and p^n", "[resilience]")
{
  Rng rng(7);
  auto settings = settings_with(4, Jitter::full);
  auto totals = simulate(settings, 0.3, rng);
  CHECK(totals.attempts / simulated_calls == Approx(expected_attempts(0.3, 4)).epsilon(0.01));
  double expected_failed = final_failure_probability(0.3, 4);
  double four_sigma = 4 * std::sqrt(expected_failed * (1 - expected_failed) / simulated_calls);
  CHECK(totals.calls_failed / simulated_calls == Approx(expected_failed).margin(four_sigma));
}

TEST_CASE("retry theory: full jitter waits half the capped exponential on average, at every retry", "[resilience]")
{
  Rng rng(11);
  auto settings = settings_with(6, Jitter::full);  // ceilings 100, 200, 400, 800, then the 1000 cap
  auto totals = simulate(settings, 1.0, rng);
  for (int k = 0; k + 1 < settings.max_attempts; ++k) {
    auto index = static_cast<std::size_t>(k);
    REQUIRE(totals.delay_count[index] == simulated_calls);
    CHECK(totals.delay_sum_ms[index] / simulated_calls == Approx(exponential_ceiling_ms(settings.backoff, k) / 2).epsilon(0.01));
  }
}

// A call's total wait varies much more than one draw (it is 0 for most calls), so this mean is held
// to four standard errors of the simulation rather than to a fixed 1 %.
TEST_CASE("retry theory: mean total backoff per call for every jitter mode", "[resilience]")
{
  for (auto jitter : {Jitter::none, Jitter::full, Jitter::equal, Jitter::decorrelated}) {
    auto settings = settings_with(4, jitter, jitter == Jitter::decorrelated ? 1e6 : 1000);
    auto expected = expected_total_backoff_ms(settings.backoff, 0.4, 4);
    REQUIRE(expected);
    Rng rng(13);
    auto totals = simulate(settings, 0.4, rng);
    double mean_ms = totals.backoff_ms / simulated_calls;
    double standard_error_ms = std::sqrt((totals.backoff_squared_ms2 / simulated_calls - mean_ms * mean_ms) / simulated_calls);
    INFO("jitter " << jitter_name(jitter) << ": standard error " << standard_error_ms << " ms");
    REQUIRE(standard_error_ms < 0.005 * *expected);  // the check below stays within 2 %
    CHECK(mean_ms == Approx(*expected).margin(4 * standard_error_ms));
  }
}

TEST_CASE("retry theory: a run-dry SDK quota holds retries to (1-p)/(5p) per call", "[resilience]")
{
  Rng rng(17);
  auto settings = settings_with(3, Jitter::full);
  settings.budget = RetryBudget::sdk_standard;
  RetryQuota quota;
  auto totals = simulate(settings, 0.5, rng, &quota);
  double retries_per_call = totals.attempts / simulated_calls - 1;
  double expected = quota_limited_retries_per_call(0.5, 3, 5, 1);
  CHECK(expected == Approx(0.2));  // below the 0.75 retries per call without a quota
  CHECK(retries_per_call == Approx(expected).epsilon(0.02));
}

TEST_CASE("retry theory: retries into an M/M/1 callee have a good state, a tipping point and an overloaded state", "[resilience]")
{
  // μ = 100/s, τ = 0.1 s, three immediate retries: 40/s is bistable (4 × 40 ≥ 100)
  auto bistable = retry_load_states(40, 100, 0.1, 3);
  REQUIRE(bistable.good_attempts_per_s);
  REQUIRE(bistable.tipping_attempts_per_s);
  CHECK(bistable.can_stay_overloaded);
  double good = *bistable.good_attempts_per_s;
  CHECK(good > 40);
  CHECK(good < 40.2);  // p ≈ e^-6: a tenth of a request a second more
  // a fixed point: the attempts it makes are the attempts it assumed
  double p = std::exp(-(100 - good) * 0.1);
  CHECK(40 * expected_attempts(p, 4) == Approx(good).epsilon(1e-9));
  CHECK(bistable.good_failure_probability == Approx(p));
  CHECK(*bistable.tipping_attempts_per_s > good);
  CHECK(*bistable.tipping_attempts_per_s < 100);

  // without retries there is one state, and it cannot run away
  auto no_retries = retry_load_states(40, 100, 0.1, 0);
  REQUIRE(no_retries.good_attempts_per_s);
  CHECK(*no_retries.good_attempts_per_s == Approx(40));
  CHECK_FALSE(no_retries.tipping_attempts_per_s);
  CHECK_FALSE(no_retries.can_stay_overloaded);

  // 24/s with three retries cannot keep 100/s busy: one good state, no overloaded one
  CHECK_FALSE(retry_load_states(24, 100, 0.1, 3).can_stay_overloaded);
  // a timeout shorter than the service's own time has no good state at all: the load runs away
  CHECK_FALSE(retry_load_states(60, 100, 0.01, 3).good_attempts_per_s);
}
