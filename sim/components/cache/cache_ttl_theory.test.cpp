// The cache component held to the TTL formulas, through its own calls: one key asked for at Poisson
// rate λ, read through an origin that answers in 1 ms, kept ttl_s. With the timer set when the copy
// is stored (Redis GET), a copy serves λT hits on average before it expires: hit ratio
// λT / (1 + λ(T + D)) with the fetch time D; with the timer reset on every hit (GETEX), a request hits
// when the previous one came less than T before: 1 − e^(−λT).
#include "sim/components/cache/cache_theory.hpp"
#include "sim/core/random.hpp"
#include "sim/testing/test_world.hpp"

#include <catch2/catch.hpp>
#include <cmath>

using archlab::Operation;
using archlab::testing::Probe;
using archlab::testing::TestWorld;
using nlohmann::json;

namespace {
double measured_hit_ratio(bool renews_on_hit, double rate_per_s, double ttl_s, int requests)
{
  json cache = {{"type", "cache"}, {"ttl_s", ttl_s}, {"ttl_renewed_on_hit", renews_on_hit}, {"origin", {{"target", "source"}}},
                {"latency_ms", {{"get", 0}, {"put", 0}, {"delete", 0}}}};
  json source = {{"type", "service"}, {"concurrency", 100}, {"service_time_ms", {{"dist", "constant"}, {"value", 1}}}};
  TestWorld test({{"name", "ttl-theory"}, {"components", {{"cache", cache}, {"source", source}}}, {"run", {{"duration_s", 2e6}}}});
  test.world().control().warm_up_ends(0);
  Probe probe(test.scheduler());
  probe.prototype.key = 7;
  probe.prototype.is_measured = true;
  test.start();
  auto arrivals = archlab::Rng::for_stream(11, "ttl-theory");
  double at_s = 0;
  for (int i = 0; i < requests; ++i) {
    at_s += -std::log(arrivals.uniform_open01()) / rate_per_s;
    test.scheduler().at(at_s, [&test, &probe, i] { probe.send(test.component("cache"), static_cast<std::uint64_t>(i), Operation::named("get")); });
  }
  test.run_until(at_s + 1);
  json summary;
  test.component("cache").add_summary(summary, at_s + 1);
  return summary.at("hit_ratio").get<double>();
}
}  // namespace

TEST_CASE("cache theory: the component's TTL set on a store hits λT/(1+λ(T+D)); reset on every hit, 1 − e^(−λT)", "[cache][theory]")
{
  // λ = 0.2 per s, T = 10 s: λT = 2. 200,000 requests: the standard error of a hit ratio near 0.7 to
  // 0.9 is about 0.001.
  const double rate_per_s = 0.2, ttl_s = 10, fetch_s = 0.001;
  double set_on_store = measured_hit_ratio(false, rate_per_s, ttl_s, 200000);
  double renewed = measured_hit_ratio(true, rate_per_s, ttl_s, 200000);
  INFO("set on store " << set_on_store << ", renewed on hit " << renewed);
  CHECK(set_on_store == Approx(rate_per_s * ttl_s / (1 + rate_per_s * (ttl_s + fetch_s))).margin(0.005));
  CHECK(archlab::renewed_ttl_hit_ratio({1.0}, rate_per_s, ttl_s) == Approx(1 - std::exp(-2.0)));
  CHECK(renewed == Approx(archlab::renewed_ttl_hit_ratio({1.0}, rate_per_s, ttl_s)).margin(0.005));
}
