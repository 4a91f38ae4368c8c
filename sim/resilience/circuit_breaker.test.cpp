#include "sim/resilience/circuit_breaker.hpp"

#include <catch2/catch.hpp>
#include <string>

using namespace archlab;

namespace {
constexpr BreakerSettings small{.failure_rate = 0.5, .window_calls = 10, .min_calls = 10, .open_s = 60, .half_open_calls = 3};

// Sends one call per letter (F failed, T timed out, S ok) at time `now_s`, each answered at once.
void run(CircuitBreaker& breaker, const std::string& outcomes, double now_s = 0)
{
  for (char letter : outcomes) {
    auto permit = breaker.try_acquire(now_s);
    REQUIRE(permit.is_permitted);
    breaker.record(permit, letter == 'S' ? Outcome::ok : letter == 'T' ? Outcome::timed_out : Outcome::failed, now_s);
  }
}

CircuitBreaker opened_at(double now_s)
{
  CircuitBreaker breaker(small);
  run(breaker, "FFFFFFFFFF", now_s);
  REQUIRE(breaker.state() == BreakerState::open);
  return breaker;
}
}  // namespace

TEST_CASE("breaker: no decision before min_calls, even if every call failed", "[resilience]")
{
  CircuitBreaker breaker(small);
  run(breaker, "FFFFFFFFF");
  CHECK(breaker.state() == BreakerState::closed);
  run(breaker, "F");
  CHECK(breaker.state() == BreakerState::open);
}

TEST_CASE("breaker: opens at exactly the failure rate and not below it", "[resilience]")
{
  CircuitBreaker at_rate(small);
  run(at_rate, "SSSSSFFFF");
  CHECK(at_rate.state() == BreakerState::closed);
  run(at_rate, "F");  // 5 of 10 = 0.5
  CHECK(at_rate.state() == BreakerState::open);

  CircuitBreaker below(small);
  run(below, "SSSSSSFFFF");  // 4 of 10
  CHECK(below.state() == BreakerState::closed);
}

TEST_CASE("breaker: the window holds the last window_calls calls only", "[resilience]")
{
  CircuitBreaker breaker(small);
  run(breaker, "FFFFSSSSSS");  // 4 of 10
  run(breaker, "FFFF");        // each pushes an old failure out: still 4 of 10
  CHECK(breaker.state() == BreakerState::closed);
  CHECK(breaker.recorded_calls() == 10);
  CHECK(breaker.recorded_failures() == 4);
  run(breaker, "F");           // pushes a success out: 5 of 10
  CHECK(breaker.state() == BreakerState::open);
}

TEST_CASE("breaker: timeouts and rejections count as failures", "[resilience]")
{
  CircuitBreaker breaker(small);
  run(breaker, "SSSSSTTTT");
  auto permit = breaker.try_acquire(0);
  breaker.record(permit, Outcome::rejected, 0);
  CHECK(breaker.state() == BreakerState::open);
}

TEST_CASE("breaker: open refuses every call until open_s has passed", "[resilience]")
{
  auto breaker = opened_at(10);
  CHECK_FALSE(breaker.try_acquire(10).is_permitted);
  CHECK_FALSE(breaker.try_acquire(69.999).is_permitted);
  CHECK(breaker.state() == BreakerState::open);
  CHECK(breaker.try_acquire(70).is_permitted);
  CHECK(breaker.state() == BreakerState::half_open);
}

TEST_CASE("breaker: half-open lets exactly half_open_calls through", "[resilience]")
{
  auto breaker = opened_at(0);
  for (int i = 0; i < 3; ++i)
    CHECK(breaker.try_acquire(60).is_permitted);
  CHECK_FALSE(breaker.try_acquire(60).is_permitted);
  CHECK_FALSE(breaker.try_acquire(500).is_permitted);  // still waiting for the trials' answers
}

TEST_CASE("breaker: the trials' failure rate closes it or opens it again, once all have answered", "[resilience]")
{
  SECTION("two failures of three: open again, from the last answer")
  {
    auto breaker = opened_at(0);
    auto a = breaker.try_acquire(60), b = breaker.try_acquire(60), c = breaker.try_acquire(60);
    breaker.record(a, Outcome::failed, 61);
    breaker.record(b, Outcome::failed, 62);
    CHECK(breaker.state() == BreakerState::half_open);  // 2 of 3 answered: no decision yet
    breaker.record(c, Outcome::ok, 63);
    CHECK(breaker.state() == BreakerState::open);
    CHECK(breaker.opened_at_s() == 63);
    CHECK_FALSE(breaker.try_acquire(122.9).is_permitted);
  }
  SECTION("one failure of three: closed, with an empty window")
  {
    auto breaker = opened_at(0);
    auto a = breaker.try_acquire(60), b = breaker.try_acquire(60), c = breaker.try_acquire(60);
    breaker.record(a, Outcome::failed, 61);
    breaker.record(b, Outcome::ok, 61);
    breaker.record(c, Outcome::ok, 61);
    CHECK(breaker.state() == BreakerState::closed);
    CHECK(breaker.recorded_calls() == 0);
    run(breaker, "FFFFFFFFF", 62);  // min_calls counts again from zero
    CHECK(breaker.state() == BreakerState::closed);
  }
}

TEST_CASE("breaker: an answer counts only in the state period that let its call through", "[resilience]")
{
  CircuitBreaker breaker(small);
  auto slow = breaker.try_acquire(0);  // sent while closed, answers late
  run(breaker, "FFFFFFFFFF", 0);
  auto a = breaker.try_acquire(60), b = breaker.try_acquire(60), c = breaker.try_acquire(60);
  breaker.record(slow, Outcome::failed, 61);
  CHECK(breaker.state() == BreakerState::half_open);
  breaker.record(a, Outcome::ok, 61);
  breaker.record(b, Outcome::ok, 61);
  breaker.record(c, Outcome::ok, 61);
  CHECK(breaker.state() == BreakerState::closed);
  breaker.record(BreakerPermit{false, 0}, Outcome::failed, 62);  // a refused call has nothing to record
  CHECK(breaker.recorded_calls() == 0);
}
