#include "sim/resilience/retry_policy.hpp"

#include <catch2/catch.hpp>

using namespace archlab;

namespace {
RetrySettings no_jitter(int max_attempts)
{
  RetrySettings settings;
  settings.max_attempts = max_attempts;
  settings.backoff = {.base_ms = 100, .cap_ms = 20000, .jitter = Jitter::none};
  return settings;
}

// Retries granted over `calls` calls whose every attempt ends with `outcome`.
int retries_granted(const RetrySettings& settings, RetryQuota& quota, Outcome outcome, int calls)
{
  int retries = 0;
  for (int call = 0; call < calls; ++call) {
    RetryState state;
    while (decide_after_attempt(settings, state, outcome, &quota, 0.5).is_retry())
      ++retries;
  }
  return retries;
}
}  // namespace

TEST_CASE("retry: exactly max_attempts attempts, then out of attempts", "[resilience]")
{
  auto settings = no_jitter(3);
  RetryState state;
  auto first = decide_after_attempt(settings, state, Outcome::failed, nullptr, 0);
  CHECK(first.is_retry());
  CHECK(first.delay_ms == 100);
  auto second = decide_after_attempt(settings, state, Outcome::timed_out, nullptr, 0);
  CHECK(second.is_retry());
  CHECK(second.delay_ms == 200);
  CHECK(decide_after_attempt(settings, state, Outcome::failed, nullptr, 0).verdict == RetryVerdict::out_of_attempts);
  CHECK(state.attempts_made == 3);
}

TEST_CASE("retry: max_attempts 1 never retries; an ok attempt ends the call", "[resilience]")
{
  RetryState once;
  CHECK(decide_after_attempt(no_jitter(1), once, Outcome::failed, nullptr, 0).verdict == RetryVerdict::out_of_attempts);
  RetryState fine;
  CHECK(decide_after_attempt(no_jitter(3), fine, Outcome::ok, nullptr, 0).verdict == RetryVerdict::succeeded);
}

TEST_CASE("retry: only the outcomes in retry_on are retried", "[resilience]")
{
  auto settings = no_jitter(3);
  settings.retries_failed = false;
  settings.retries_rejected = false;
  RetryState failed;
  CHECK(decide_after_attempt(settings, failed, Outcome::failed, nullptr, 0).verdict == RetryVerdict::not_retried_outcome);
  RetryState rejected;
  CHECK(decide_after_attempt(settings, rejected, Outcome::rejected, nullptr, 0).verdict == RetryVerdict::not_retried_outcome);
  RetryState timed_out;
  CHECK(decide_after_attempt(settings, timed_out, Outcome::timed_out, nullptr, 0).is_retry());
}

TEST_CASE("retry: decorrelated jitter grows from the wait before the previous retry", "[resilience]")
{
  RetrySettings settings;
  settings.max_attempts = 4;
  settings.backoff = {.base_ms = 100, .cap_ms = 20000, .jitter = Jitter::decorrelated};
  RetryState state;
  CHECK(decide_after_attempt(settings, state, Outcome::failed, nullptr, 1.0).delay_ms == Approx(300));  // random(100, 300)
  CHECK(decide_after_attempt(settings, state, Outcome::failed, nullptr, 1.0).delay_ms == Approx(900));  // random(100, 900)
  CHECK(decide_after_attempt(settings, state, Outcome::failed, nullptr, 0.0).delay_ms == Approx(100));
}

TEST_CASE("retry quota: at failure probability 1 it runs dry after exactly 500/5 = 100 retries", "[resilience]")
{
  auto settings = no_jitter(3);
  settings.budget = RetryBudget::sdk_standard;
  RetryQuota quota;
  CHECK(retries_granted(settings, quota, Outcome::failed, 1000) == 100);
  CHECK(quota.available_tokens() == 0);
  RetryQuota after_timeouts;
  CHECK(retries_granted(settings, after_timeouts, Outcome::timed_out, 1000) == 50);  // 500/10
}

TEST_CASE("retry quota, sdk_2026: 35 retries after 5xx (35 × 14 = 490), 100 after throttles", "[resilience]")
{
  auto settings = no_jitter(3);
  settings.budget = RetryBudget::sdk_2026;
  RetryQuota quota(*quota_settings_for(settings.budget));
  CHECK(retries_granted(settings, quota, Outcome::failed, 1000) == 35);
  CHECK(quota.available_tokens() == 10);
  RetryQuota throttled(*quota_settings_for(settings.budget));
  CHECK(retries_granted(settings, throttled, Outcome::rejected, 1000) == 100);
  CHECK_FALSE(quota_settings_for(RetryBudget::none));
}

TEST_CASE("retry quota: a dry quota stops the retry even with attempts left", "[resilience]")
{
  auto settings = no_jitter(3);
  settings.budget = RetryBudget::sdk_standard;
  RetryQuota quota({.capacity_tokens = 4});
  RetryState state;
  CHECK(decide_after_attempt(settings, state, Outcome::failed, &quota, 0).verdict == RetryVerdict::out_of_quota);
}

TEST_CASE("retry quota: budget none leaves the quota alone", "[resilience]")
{
  auto settings = no_jitter(3);
  RetryQuota quota;
  CHECK(retries_granted(settings, quota, Outcome::failed, 1000) == 2000);
  CHECK(quota.available_tokens() == 500);
}

TEST_CASE("retry quota: a call that succeeds on its retry gives that retry's cost back", "[resilience]")
{
  auto settings = no_jitter(3);
  settings.budget = RetryBudget::sdk_standard;
  RetryQuota quota;
  RetryState state;
  decide_after_attempt(settings, state, Outcome::timed_out, &quota, 0);
  decide_after_attempt(settings, state, Outcome::failed, &quota, 0);
  CHECK(quota.available_tokens() == 485);
  decide_after_attempt(settings, state, Outcome::ok, &quota, 0);
  CHECK(quota.available_tokens() == 490);  // the last retry's 5, not all 15
  RetryState first_time;
  decide_after_attempt(settings, first_time, Outcome::ok, &quota, 0);
  CHECK(quota.available_tokens() == 491);
}
