// The function on the test scheduler: who finished when, the documented Lambda behaviours it
// conforms to (docs/aws-facts.md, Lambda), and the queueing formulas it is held to.
#include "sim/core/fault_plan.hpp"
#include "sim/testing/test_world.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <random>

using archlab::Operation;
using archlab::Outcome;
using archlab::Status;
using archlab::testing::Probe;
using archlab::testing::TestWorld;
using nlohmann::json;

namespace {
json constant_ms(double value)
{
  return {{"dist", "constant"}, {"value", value}};
}
json with_function(json function, json others = json::object())
{
  function["type"] = "function";
  others["fn"] = function;
  return {{"name", "function-test"}, {"components", others}, {"run", {{"duration_s", 100}}}};
}
json summary_of(TestWorld& test, double end_s)
{
  json summary;
  test.component("fn").add_summary(summary, end_s);
  return summary;
}
json queue_summary(TestWorld& test, const std::string& id, double end_s)
{
  json summary;
  test.component(id).add_summary(summary, end_s);
  return summary;
}
const Operation invoke_async = Operation::named("invoke_async");

// Poisson arrivals sent by a probe, on the test scheduler.
class PoissonSender {
public:
  PoissonSender(TestWorld& test, Probe& probe, double rate_per_s, int count, std::uint64_t seed)
      : test_(test), probe_(probe), gaps_(rate_per_s), random_(seed), left_(count)
  {
    schedule();
  }

private:
  void schedule()
  {
    if (left_-- <= 0)
      return;
    test_.scheduler().after(gaps_(random_), [this] {
      probe_.send(test_.component("fn"), ++sent_);
      schedule();
    });
  }
  TestWorld& test_;
  Probe& probe_;
  std::exponential_distribution<double> gaps_;
  std::mt19937_64 random_;
  int left_;
  std::uint64_t sent_ = 0;
};

std::size_t count_status(const Probe& probe, Status status)
{
  std::size_t count = 0;
  for (const auto& answer : probe.answers)
    count += answer.status == status;
  return count;
}

double erlang_b(int servers, double offered)
{
  double blocking = 1;
  for (int k = 1; k <= servers; ++k)
    blocking = offered * blocking / (k + offered * blocking);
  return blocking;
}
}  // namespace

TEST_CASE("function: a cold start runs init first; the next invocation finds the environment warm", "[function]")
{
  TestWorld test(with_function({{"init_ms", 200}, {"work_ms", constant_ms(100)}}));
  Probe probe(test.scheduler());
  test.start();
  probe.send(test.component("fn"), 1);
  test.scheduler().after(1, [&] { probe.send(test.component("fn"), 2); });
  test.run_until(10);
  REQUIRE(probe.answers.size() == 2);
  CHECK(probe.answers[0].at_s == Approx(0.3));
  CHECK(probe.answers[1].at_s == Approx(1.1));
  CHECK(probe.answers[1].outcome == Outcome::ok);
  auto summary = summary_of(test, 10);
  CHECK(summary["invocations"] == 2);
  CHECK(summary["cold_starts"] == 1);
}

TEST_CASE("function: an environment idle past idle_timeout_s is recycled, so the next invocation is cold", "[function]")
{
  TestWorld test(with_function({{"init_ms", 100}, {"work_ms", constant_ms(100)}, {"idle_timeout_s", 60}}));
  Probe probe(test.scheduler());
  test.start();
  probe.send(test.component("fn"), 1);                                          // cold, idle from 0.2
  test.scheduler().after(60.1, [&] { probe.send(test.component("fn"), 2); });  // idle 59.9 s: warm
  test.scheduler().after(130, [&] { probe.send(test.component("fn"), 3); });   // idle 69.8 s: cold
  test.run_until(200);
  REQUIRE(probe.answers.size() == 3);
  CHECK(probe.answers[1].at_s == Approx(60.2));
  CHECK(probe.answers[2].at_s == Approx(130.2));
  CHECK(summary_of(test, 200)["cold_starts"] == 2);
}

TEST_CASE("conformance (Lambda: requests beyond the concurrency limit are throttled with 429): reserved concurrency 2, "
          "the third invoke at once is rejected, throttled, at once",
          "[function][conformance]")
{
  TestWorld test(with_function({{"reserved_concurrency", 2}, {"init_ms", 0}, {"work_ms", constant_ms(500)}}));
  Probe probe(test.scheduler());
  test.start();
  for (std::uint64_t tag = 1; tag <= 3; ++tag)
    probe.send(test.component("fn"), tag);
  test.scheduler().after(0.6, [&] { probe.send(test.component("fn"), 4); });  // a slot is free again
  test.run_until(10);
  REQUIRE(probe.answers.size() == 4);
  CHECK(probe.answers[0].tag == 3);
  CHECK(probe.answers[0].at_s == 0);
  CHECK(probe.answers[0].outcome == Outcome::rejected);
  CHECK(probe.answers[0].status == Status::throttled);
  CHECK(probe.answers[3].tag == 4);
  CHECK(probe.answers[3].outcome == Outcome::ok);
  CHECK(summary_of(test, 10)["throttled"] == 1);
}

TEST_CASE("conformance (Lambda: functions without reserved concurrency share what the account leaves unreserved)",
          "[function][conformance]")
{
  auto model = with_function({{"account_concurrency_limit", 200}, {"init_ms", 0}, {"work_ms", constant_ms(500)}},
                             {{"reserved", {{"type", "function"}, {"account_concurrency_limit", 200}, {"reserved_concurrency", 100}}}});
  TestWorld test(model);
  Probe probe(test.scheduler());
  test.start();
  for (std::uint64_t tag = 1; tag <= 110; ++tag)
    probe.send(test.component("fn"), tag);
  test.run_until(10);
  CHECK(count_status(probe, Status::throttled) == 10);  // 200 - 100 reserved = 100 for fn
}

TEST_CASE("conformance (Lambda scaling rate: 1,000 new execution environments every 10 s per function, refilled continuously)",
          "[function][conformance]")
{
  TestWorld test(with_function({{"account_concurrency_limit", 100000}, {"init_ms", 0}, {"work_ms", constant_ms(60000)}, {"timeout_s", 900}}));
  Probe probe(test.scheduler());
  test.start();
  for (std::uint64_t tag = 1; tag <= 1500; ++tag)
    probe.send(test.component("fn"), tag);
  test.run_until(0.5);
  CHECK(count_status(probe, Status::throttled) == 500);
  test.scheduler().at(1, [&] {  // 100 more may start by now
    for (std::uint64_t tag = 2001; tag <= 2150; ++tag)
      probe.send(test.component("fn"), tag);
  });
  test.run_until(1.5);
  CHECK(count_status(probe, Status::throttled) == 550);
  CHECK(summary_of(test, 1.5)["concurrency"]["max"] == 1100);
}

TEST_CASE("conformance (Lambda: a timeout resets the execution environment): the next invocation is a cold start again",
          "[function][conformance]")
{
  TestWorld test(with_function({{"timeout_s", 1}, {"init_ms", 200}, {"work_ms", constant_ms(2000)}}));
  Probe probe(test.scheduler());
  test.start();
  probe.send(test.component("fn"), 1);
  test.scheduler().after(5, [&] { probe.send(test.component("fn"), 2); });
  test.run_until(20);
  REQUIRE(probe.answers.size() == 2);
  CHECK(probe.answers[0].at_s == Approx(1.2));  // init 0.2 s, then the 1 s timeout
  CHECK(probe.answers[0].outcome == Outcome::failed);
  CHECK(probe.answers[1].at_s == Approx(6.2));
  auto summary = summary_of(test, 20);
  CHECK(summary["timed_out"] == 2);
  CHECK(summary["cold_starts"] == 2);
  CHECK(summary["environments"]["at_end"] == 0);
}

TEST_CASE("conformance (Lambda: a crash resets the execution environment): a fail fault crashes runs, and the next one is cold",
          "[function][conformance]")
{
  TestWorld test(with_function({{"init_ms", 200}, {"work_ms", constant_ms(100)}}));
  Probe probe(test.scheduler());
  test.start();
  archlab::FaultEvent crash{.action = "fail", .target = "fn", .failure_probability = 1};
  test.component("fn").apply_fault(crash, test.world());
  probe.send(test.component("fn"), 1);
  test.scheduler().at(1, [&] {
    archlab::FaultEvent recover{.action = "recover", .target = "fn"};
    test.component("fn").apply_fault(recover, test.world());
    probe.send(test.component("fn"), 2);
  });
  test.run_until(10);
  REQUIRE(probe.answers.size() == 2);
  CHECK(probe.answers[0].at_s == Approx(0.3));
  CHECK(probe.answers[0].outcome == Outcome::failed);
  CHECK(probe.answers[1].at_s == Approx(1.3));  // cold again: the crash took the environment
  CHECK(probe.answers[1].outcome == Outcome::ok);
  auto summary = summary_of(test, 10);
  CHECK(summary["cold_starts"] == 2);
  CHECK(summary["errors"] == 1);
  CHECK(summary["timed_out"] == 0);
}

TEST_CASE("function: a zone coming back does not end a fault of the function's own (Lambda is regional)", "[function]")
{
  TestWorld test(with_function({{"init_ms", 200}, {"work_ms", constant_ms(100)}}));
  Probe probe(test.scheduler());
  test.start();
  archlab::FaultEvent crash{.action = "fail", .target = "fn", .failure_probability = 1};
  test.component("fn").apply_fault(crash, test.world());
  archlab::FaultEvent zone_back{.action = "recover", .zone = "us-east-1a"};
  test.component("fn").apply_fault(zone_back, test.world());
  probe.send(test.component("fn"), 1);
  test.run_until(10);
  REQUIRE(probe.answers.size() == 1);
  CHECK(probe.answers[0].outcome == Outcome::failed);
}

TEST_CASE("function: an error from a call is a function error but keeps the environment warm", "[function]")
{
  auto model = with_function({{"init_ms", 200}, {"work_ms", constant_ms(100)}, {"calls", json::array({{{"target", "db"}}})}},
                             {{"db", {{"type", "service"}, {"service_time_ms", constant_ms(10)}}}});
  TestWorld test(model);
  Probe probe(test.scheduler());
  test.start();
  archlab::FaultEvent broken{.action = "fail", .target = "db", .failure_probability = 1};
  test.component("db").apply_fault(broken, test.world());
  probe.send(test.component("fn"), 1);
  test.scheduler().at(1, [&] { probe.send(test.component("fn"), 2); });
  test.run_until(10);
  REQUIRE(probe.answers.size() == 2);
  CHECK(probe.answers[0].outcome == Outcome::failed);
  CHECK(probe.answers[0].at_s == Approx(0.31));
  CHECK(probe.answers[1].at_s == Approx(1.11));  // warm: no init
  CHECK(summary_of(test, 10)["cold_starts"] == 1);
}

TEST_CASE("conformance (Lambda: provisioned concurrency runs init in advance): no cold start while a provisioned environment is free",
          "[function][conformance]")
{
  TestWorld test(with_function({{"provisioned_concurrency", 2}, {"init_ms", 500}, {"work_ms", constant_ms(100)}}));
  Probe probe(test.scheduler());
  test.start();
  for (std::uint64_t tag = 1; tag <= 3; ++tag)
    probe.send(test.component("fn"), tag);
  test.run_until(10);
  REQUIRE(probe.answers.size() == 3);
  CHECK(probe.answers[0].at_s == Approx(0.1));
  CHECK(probe.answers[1].at_s == Approx(0.1));
  CHECK(probe.answers[2].tag == 3);  // the third spills over to an on-demand environment
  CHECK(probe.answers[2].at_s == Approx(0.6));
  CHECK(summary_of(test, 10)["cold_starts"] == 1);
}

TEST_CASE("conformance (Lambda async invocation: a function error is retried 1 min, then 2 min later, then sent to the "
          "on-failure destination)",
          "[function][conformance]")
{
  auto model = with_function({{"timeout_s", 1}, {"init_ms", 0}, {"work_ms", constant_ms(5000)}, {"on_failure", "failed"}},
                             {{"failed", {{"type", "queue"}}}});
  TestWorld test(model);
  Probe probe(test.scheduler());
  test.start();
  probe.send(test.component("fn"), 1, invoke_async);
  auto invocations_at = [&](double time_s) {
    test.run_until(time_s);
    return summary_of(test, time_s)["invocations"].get<int>();
  };
  CHECK(invocations_at(0.5) == 1);   // tried at once, times out at 1
  CHECK(invocations_at(60.9) == 1);
  CHECK(invocations_at(61.1) == 2);  // 1 min after the first failure
  CHECK(invocations_at(181.9) == 2);
  CHECK(invocations_at(182.1) == 3);  // 2 min after the second (at 62)
  CHECK(queue_summary(test, "failed", 182.1)["sent"] == 0);
  test.run_until(200);
  CHECK(queue_summary(test, "failed", 200)["sent"] == 1);
  auto summary = summary_of(test, 200);
  CHECK(summary["async"]["retries"] == 2);
  CHECK(summary["async"]["to_on_failure"] == 1);
  CHECK(probe.answers.empty());  // one-way: the sender hears nothing
}

TEST_CASE("conformance (Lambda async invocation: throttled events are retried with backoff from 1 s)", "[function][conformance]")
{
  TestWorld test(with_function({{"reserved_concurrency", 1}, {"init_ms", 0}, {"work_ms", constant_ms(10000)}, {"timeout_s", 60}}));
  Probe probe(test.scheduler());
  test.start();
  probe.send(test.component("fn"), 1, invoke_async);
  probe.send(test.component("fn"), 2, invoke_async);
  test.run_until(14.9);  // the second is throttled at 0, 1, 3 and 7; the first ends at 10
  CHECK(summary_of(test, 14.9)["throttled"] == 4);
  CHECK(summary_of(test, 14.9)["invocations"] == 1);
  test.run_until(15.1);  // tried again at 15 (after 8 s), and runs
  CHECK(summary_of(test, 15.1)["invocations"] == 2);
  test.run_until(100);
  CHECK(summary_of(test, 100)["async"]["succeeded"] == 2);
}

TEST_CASE("conformance (Lambda: with reserved concurrency 0, async events go straight to the on-failure destination)",
          "[function][conformance]")
{
  auto model = with_function({{"reserved_concurrency", 0}, {"on_failure", "failed"}}, {{"failed", {{"type", "queue"}}}});
  TestWorld test(model);
  Probe probe(test.scheduler());
  test.start();
  probe.send(test.component("fn"), 1, invoke_async);
  test.run_until(1);
  CHECK(queue_summary(test, "failed", 1)["sent"] == 1);
  CHECK(summary_of(test, 1)["invocations"] == 0);
}

TEST_CASE("theory: synchronous throttling at reserved concurrency c matches Erlang B(c, λ·E[S])", "[function][theory]")
{
  // λ = 8/s, S exponential with mean 1 s: a = 8, c = 10, B = 0.1217.
  TestWorld test(with_function({{"reserved_concurrency", 10}, {"init_ms", 0}, {"timeout_s", 900},
                                {"work_ms", {{"dist", "exponential"}, {"mean", 1000}}}}));
  Probe probe(test.scheduler());
  test.start();
  const int count = 200000;
  PoissonSender sender(test, probe, 8, count, 7);
  test.run_until(1e9);
  REQUIRE(probe.answers.size() == count);
  double throttled = static_cast<double>(count_status(probe, Status::throttled)) / count;
  CHECK(throttled == Approx(erlang_b(10, 8)).margin(0.005));
}

TEST_CASE("theory: without a limit the mean concurrency is λ·E[S] (M/G/∞), whatever the shape of S", "[function][theory]")
{
  // λ = 20/s, S lognormal with mean 0.5 s and cv 1.5: a = 10.
  TestWorld test(with_function({{"account_concurrency_limit", 100000}, {"init_ms", 0}, {"timeout_s", 900},
                                {"work_ms", {{"dist", "lognormal"}, {"mean", 500}, {"cv", 1.5}}}}));
  Probe probe(test.scheduler());
  test.start();
  const int count = 200000;
  PoissonSender sender(test, probe, 20, count, 11);
  test.run_until(1e9);
  REQUIRE(probe.answers.size() == count);
  double end_s = probe.answers.back().at_s;
  CHECK(summary_of(test, end_s)["concurrency"]["mean"].get<double>() == Approx(10).epsilon(0.03));
  CHECK(summary_of(test, end_s)["throttled"] == 0);
}

TEST_CASE("theory: at low rates the cold-start fraction is e^(−λ·K) for idle timeout K", "[function][theory]")
{
  // λ = 0.005/s, K = 300 s, S = 0.1 s (λ·S ≪ 1: one environment): e^(−1.5) = 0.223.
  TestWorld test(with_function({{"idle_timeout_s", 300}, {"init_ms", 0}, {"work_ms", constant_ms(100)}}));
  Probe probe(test.scheduler());
  test.start();
  const int count = 40000;
  PoissonSender sender(test, probe, 0.005, count, 3);
  test.run_until(1e12);
  REQUIRE(probe.answers.size() == count);
  double end_s = probe.answers.back().at_s;
  double cold_fraction = summary_of(test, end_s)["cold_starts"].get<double>() / count;
  CHECK(cold_fraction == Approx(std::exp(-0.005 * 300)).margin(0.01));
}
