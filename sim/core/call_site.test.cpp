// Call policies at work on the test scheduler: who was answered when, what each attempt cost, and
// the retry figures held to their closed forms (sim/resilience/retry_theory.hpp).
#include "sim/core/call_site.hpp"

#include "sim/core/parameters.hpp"
#include "sim/resilience/retry_theory.hpp"

#include <catch2/catch.hpp>

using namespace archlab;
using nlohmann::json;

namespace {
// Answers each call after `latency_s`, failing with probability `failure_probability` (its own stream).
class ScriptedEndpoint final : public Endpoint {
public:
  ScriptedEndpoint(Scheduler& scheduler, double latency_s, double failure_probability = 0, std::uint64_t seed = 7)
      : scheduler_(scheduler), latency_s_(latency_s), failure_probability_(failure_probability), rng_(Rng::for_stream(seed, "scripted"))
  {
  }
  void accept(const Call& call) override
  {
    ++received;
    Outcome outcome = rng_.uniform01() < failure_probability_ ? Outcome::failed : Outcome::ok;
    scheduler_.after(latency_s_, [call, outcome] { call.caller->on_answer(call, outcome); });
  }
  std::string endpoint_name() const override { return "scripted"; }
  int received = 0;
  double failure_probability_;

private:
  Scheduler& scheduler_;
  double latency_s_;
  Rng rng_;
};

struct Owner final : Caller {
  explicit Owner(Scheduler& scheduler) : scheduler(scheduler) {}
  void on_answer(const Call& call, const archlab::Answer& answer) override { answers.push_back({call.tag, scheduler.now(), answer.outcome}); }
  struct Heard {
    std::uint64_t tag;
    double at_s;
    Outcome outcome;
  };
  Scheduler& scheduler;
  std::vector<Heard> answers;
};

CallPolicy policy(json fields)
{
  ValidationContext context;
  context.component_ids = {"db", "cache"};
  CallPolicy parsed = parse_call_policy(fields, "calls[0]", context);
  for (const auto& problem : context.problems)
    FAIL(problem.path << ": " << problem.message);
  return parsed;
}

struct Bench {
  Scheduler scheduler;
  Owner owner{scheduler};
  std::vector<std::unique_ptr<Request>> requests;
  void send(CallSite& site, std::uint64_t tag)
  {
    requests.push_back(std::make_unique<Request>());
    site.send(Call{requests.back().get(), &owner, tag});
  }
};
}  // namespace

TEST_CASE("call site without a policy: the answer passes through, counted once", "[call_site]")
{
  Bench bench;
  ScriptedEndpoint db(bench.scheduler, 0.25);
  CallSite site(bench.scheduler, "db", db, {}, Rng::for_stream(1, "retry"), nullptr, nullptr);
  bench.send(site, 1);
  bench.scheduler.run_until(Scheduler::never);
  REQUIRE(bench.owner.answers.size() == 1);
  CHECK(bench.owner.answers[0].at_s == Approx(0.25));
  CHECK(site.counters().attempts == 1);
  CHECK(site.counters().ok == 1);
  CHECK(site.counters().latency_ok.mean() == Approx(0.25).epsilon(0.01));
}

TEST_CASE("timeout_ms is per attempt: the owner hears timed_out at the timeout, the late answer is ignored", "[call_site]")
{
  Bench bench;
  ScriptedEndpoint db(bench.scheduler, 2.0);
  CallSite site(bench.scheduler, "db", db, policy({{"timeout_ms", 500}}), Rng::for_stream(1, "retry"), nullptr, nullptr);
  bench.send(site, 1);
  bench.scheduler.run_until(Scheduler::never);
  REQUIRE(bench.owner.answers.size() == 1);
  CHECK(bench.owner.answers[0].outcome == Outcome::timed_out);
  CHECK(bench.owner.answers[0].at_s == Approx(0.5));
  CHECK(site.counters().timed_out == 1);
  CHECK(site.counters().ok == 0);  // the answer at 2 s came for an attempt that had ended
}

TEST_CASE("retry after timeouts with no jitter: attempts at 0, 0.6 and 1.4 s, timed out for good at 1.9 s", "[call_site]")
{
  Bench bench;
  ScriptedEndpoint db(bench.scheduler, 2.0);
  CallSite site(bench.scheduler, "db", db,
                policy({{"timeout_ms", 500}, {"retry", {{"max_attempts", 3}, {"base_ms", 100}, {"cap_ms", 1000}, {"jitter", "none"}}}}),
                Rng::for_stream(1, "retry"), nullptr, nullptr);
  bench.send(site, 1);
  bench.scheduler.run_until(Scheduler::never);
  // backoff before retry k (k = 0, 1): min(cap, base·2^k) = 100 ms, 200 ms
  REQUIRE(bench.owner.answers.size() == 1);
  CHECK(bench.owner.answers[0].outcome == Outcome::timed_out);
  CHECK(bench.owner.answers[0].at_s == Approx(0.5 + 0.1 + 0.5 + 0.2 + 0.5));
  CHECK(db.received == 3);
  CHECK(site.counters().attempts == 3);
  CHECK(site.counters().retries == 2);
  CHECK(site.counters().timed_out == 3);
}

TEST_CASE("retries against independent failures: mean attempts per call is (1 - p^n) / (1 - p), p^n fail for good", "[call_site][theory]")
{
  const double p = 0.3;
  const int n = 3;
  const int calls = 100'000;
  Bench bench;
  ScriptedEndpoint db(bench.scheduler, 0.01, p);
  CallSite site(bench.scheduler, "db", db, policy({{"retry", {{"max_attempts", n}, {"base_ms", 10}, {"jitter", "full"}}}}),
                Rng::for_stream(1, "retry"), nullptr, nullptr);
  for (int i = 0; i < calls; ++i)
    bench.scheduler.at(i * 0.1, [&, i] { bench.send(site, i); });
  bench.scheduler.run_until(Scheduler::never);
  REQUIRE(bench.owner.answers.size() == calls);
  double attempts_per_call = static_cast<double>(site.counters().attempts) / calls;
  CHECK(attempts_per_call == Approx(expected_attempts(p, n)).epsilon(0.01));
  int failed = 0;
  for (const auto& answer : bench.owner.answers)
    failed += answer.outcome == Outcome::failed ? 1 : 0;
  double sigma = std::sqrt(std::pow(p, n) * (1 - std::pow(p, n)) / calls);
  CHECK(std::abs(failed / static_cast<double>(calls) - std::pow(p, n)) < 4 * sigma);
}

TEST_CASE("sdk_standard retry quota: against a dead dependency retries stop after 500 / 5 = 100", "[call_site]")
{
  Bench bench;
  ScriptedEndpoint db(bench.scheduler, 0.01, 1.0);
  RetryQuota quota(*quota_settings_for(RetryBudget::sdk_standard));
  CallSite site(bench.scheduler, "db", db, policy({{"retry", {{"max_attempts", 3}, {"budget", "sdk_standard"}}}}),
                Rng::for_stream(1, "retry"), &quota, nullptr);
  for (int i = 0; i < 1000; ++i)
    bench.scheduler.at(i * 1.0, [&, i] { bench.send(site, i); });
  bench.scheduler.run_until(Scheduler::never);
  CHECK(site.counters().retries == 100);
  CHECK(site.counters().attempts == 1100);
}

TEST_CASE("circuit breaker: opens once min_calls have failed, short-circuits for open_s, then lets trial calls through", "[call_site]")
{
  Bench bench;
  ScriptedEndpoint db(bench.scheduler, 0.01, 1.0);
  CallSite site(bench.scheduler, "db", db,
                policy({{"circuit_breaker", {{"failure_rate", 0.5}, {"window_calls", 10}, {"min_calls", 10}, {"open_s", 30}, {"half_open_calls", 2}}}}),
                Rng::for_stream(1, "retry"), nullptr, nullptr);
  for (int i = 0; i < 60; ++i)  // one call a second
    bench.scheduler.at(i * 1.0, [&, i] { bench.send(site, i); });
  bench.scheduler.run_until(Scheduler::never);
  // Calls 0–9 fail and open it at 9.01 s; 10–39 are refused (until 39.01 s); at 40 s it is half
  // open: 40 and 41 go through, fail, and open it again until 71.01 s.
  CHECK(db.received == 12);
  CHECK(site.counters().short_circuited == 48);
  REQUIRE(bench.owner.answers.size() == 60);
  CHECK(bench.owner.answers[10].outcome == Outcome::rejected);
  CHECK(bench.owner.answers[10].at_s == Approx(10.0));  // refused at once
}

TEST_CASE("bulkhead: one call at a time, one waiting, the third refused at once; the waiter starts when the first ends", "[call_site]")
{
  Bench bench;
  ScriptedEndpoint db(bench.scheduler, 1.0);
  CallSite site(bench.scheduler, "db", db, policy({{"bulkhead", {{"max_concurrent", 1}, {"max_waiting", 1}}}}),
                Rng::for_stream(1, "retry"), nullptr, nullptr);
  for (int i = 1; i <= 3; ++i)
    bench.send(site, i);
  bench.scheduler.run_until(Scheduler::never);
  REQUIRE(bench.owner.answers.size() == 3);
  CHECK(bench.owner.answers[0].tag == 3);
  CHECK(bench.owner.answers[0].outcome == Outcome::rejected);
  CHECK(bench.owner.answers[0].at_s == 0);
  CHECK(bench.owner.answers[1].tag == 1);
  CHECK(bench.owner.answers[1].at_s == Approx(1.0));
  CHECK(bench.owner.answers[2].tag == 2);
  CHECK(bench.owner.answers[2].at_s == Approx(2.0));
  CHECK(site.counters().bulkhead_rejected == 1);
}

TEST_CASE("fallback: a call that fails for good is made to the fallback instead, whose answer the owner gets", "[call_site]")
{
  Bench bench;
  ScriptedEndpoint db(bench.scheduler, 0.1, 1.0);
  ScriptedEndpoint cache(bench.scheduler, 0.02);
  CallSite site(bench.scheduler, "db", db, policy({{"fallback", {{"target", "cache"}, {"operation", "request"}}}}),
                Rng::for_stream(1, "retry"), nullptr, &cache);
  bench.send(site, 1);
  bench.scheduler.run_until(Scheduler::never);
  REQUIRE(bench.owner.answers.size() == 1);
  CHECK(bench.owner.answers[0].outcome == Outcome::ok);
  CHECK(bench.owner.answers[0].at_s == Approx(0.12));
  CHECK(site.counters().failed == 1);
  CHECK(site.counters().fallbacks == 1);
}

TEST_CASE("a target that refuses at once is retried as scheduled events, never by recursion", "[call_site]")
{
  struct Refuser final : Endpoint {
    void accept(const Call& call) override { call.caller->on_answer(call, Outcome::failed); }
    std::string endpoint_name() const override { return "refuser"; }
  } refuser;
  Bench bench;
  CallSite site(bench.scheduler, "db", refuser, policy({{"retry", {{"max_attempts", 100}, {"base_ms", 0.001}, {"cap_ms", 0.001}}}}),
                Rng::for_stream(1, "retry"), nullptr, nullptr);
  bench.send(site, 1);
  CHECK(site.counters().attempts == 1);  // the first refusal came back inside send(); the retry waits for its event
  bench.scheduler.run_until(Scheduler::never);
  CHECK(site.counters().attempts == 100);
  CHECK(bench.scheduler.events_run() == 99);  // each retry its own event
  CHECK(bench.owner.answers.size() == 1);
}

TEST_CASE("a one-way call is delivered and never answered: the owner hears nothing, the callee's answer goes nowhere", "[call_site]")
{
  Bench bench;
  ScriptedEndpoint subscriber(bench.scheduler, 0.05);  // answers as any callee would
  CallSite site(bench.scheduler, "topic", subscriber, policy({{"timeout_ms", 10}}), Rng::for_stream(1, "retry"), nullptr, nullptr,
                OperationCall{Operation::named("publish"), nullptr, true});
  bench.send(site, 1);
  bench.send(site, 2);
  bench.scheduler.run_until(Scheduler::never);
  CHECK(subscriber.received == 2);
  CHECK(bench.owner.answers.empty());
  CHECK(site.counters().delivered == 2);
  CHECK(site.counters().attempts == 0);   // no attempt to time out or retry
  CHECK(site.counters().timed_out == 0);  // the timeout of a waited-for call does not apply
  CHECK(bench.scheduler.events_run() == 2);  // the two answers, dropped
}
