// API Gateway on the test scheduler: its integration is a call site whose policy is the integration
// timeout, so a slow integration gets the caller a 504 at integration_timeout_ms.
#include "sim/testing/test_world.hpp"

#include <catch2/catch.hpp>
#include <random>

using archlab::Outcome;
using archlab::testing::Probe;
using archlab::testing::TestWorld;
using nlohmann::json;

namespace {
// gw (no overhead of its own, a 500 ms integration timeout) in front of app, which works `work_ms`.
json gateway_before(double work_ms, json extra_components = json::object())
{
  json components = {{"gw", {{"type", "api_gateway"}, {"target", "app"}, {"latency_ms", 0}, {"integration_timeout_ms", 500}}},
                     {"app", {{"type", "service"}, {"concurrency", 10}, {"service_time_ms", {{"dist", "constant"}, {"value", work_ms}}}}}};
  components.update(extra_components);
  return {{"name", "gateway-test"}, {"components", components}, {"run", {{"duration_s", 100}}}};
}

json summary_of(const archlab::Component& component)
{
  json out = json::object();
  component.add_summary(out, 10);
  return out;
}
}  // namespace

TEST_CASE("api_gateway: an integration slower than integration_timeout_ms gets the caller a 504 at the timeout", "[api_gateway]")
{
  TestWorld test(gateway_before(2000));
  Probe probe(test.scheduler());
  test.start();
  probe.send(test.component("gw"), 1);
  test.scheduler().at(0.25, [&] { probe.send(test.component("gw"), 2); });
  test.run_until(1);
  REQUIRE(probe.answers.size() == 2);
  CHECK(probe.answers[0].tag == 1);
  CHECK(probe.answers[0].outcome == Outcome::timed_out);
  CHECK(probe.answers[0].at_s == Approx(0.5));
  CHECK(probe.answers[1].tag == 2);
  CHECK(probe.answers[1].at_s == Approx(0.75));
  CHECK(summary_of(test.component("gw"))["integration_timeouts"] == 2);
  CHECK(summary_of(test.component("gw"))["late_answers_ignored"] == 0);
  test.run_until(3);  // app answers at 2 and 2.25 s: too late, dropped
  CHECK(probe.answers.size() == 2);
  CHECK(summary_of(test.component("gw"))["late_answers_ignored"] == 2);
}

TEST_CASE("api_gateway: an integration answering within the timeout passes its answer on", "[api_gateway]")
{
  TestWorld test(gateway_before(400));
  Probe probe(test.scheduler());
  test.start();
  probe.send(test.component("gw"), 1);
  test.run_until(3);
  REQUIRE(probe.answers.size() == 1);
  CHECK(probe.answers[0].outcome == Outcome::ok);
  CHECK(probe.answers[0].at_s == Approx(0.4));
  CHECK(summary_of(test.component("gw"))["integration_timeouts"] == 0);
}

TEST_CASE("api_gateway: a client that retries on 504 sends again after its backoff; the 504 is an answer, not its own timeout",
          "[api_gateway][client]")
{
  json users = {{"type", "client"},
                {"target", "gw"},
                {"arrivals", {{"process", "constant"}, {"rate_per_s", 1}}},
                {"retry", {{"max_attempts", 2}, {"base_ms", 100}, {"jitter", "none"}}}};
  json model = gateway_before(2000, {{"users", users}});
  model["run"] = {{"requests", 1}};
  TestWorld test(model);
  test.world().control().warm_up_ends(0);  // every request counts (a test world has no warm-up)
  test.start();
  test.run_until(10);
  // sent at 1.0: 504 at 1.5; 100 ms; again at 1.6: 504 at 2.1, its last attempt
  CHECK(test.world().control().end_s() == Approx(2.1));
  CHECK(test.component("users").stats().counts().failed == 1);
  json figures = summary_of(test.component("users"));
  CHECK(figures["timed_out"] == 0);
  CHECK(figures["calls"]["gw"]["attempts"] == 2);
  CHECK(figures["calls"]["gw"]["timed_out"] == 2);
  CHECK(summary_of(test.component("gw"))["integration_timeouts"] == 2);
}

TEST_CASE("api_gateway: an AWS service integration calls its target's action: a click put into a stream", "[api_gateway]")
{
  json model = gateway_before(0, {{"clicks", {{"type", "stream"}, {"destination", "lake"}, {"buffer_interval_s", 60}}},
                                  {"lake", {{"type", "bucket"}}}});
  model["components"]["gw"]["target"] = "clicks";
  model["components"]["gw"]["operation"] = "put_record";
  TestWorld test(model);
  Probe probe(test.scheduler());
  test.start();
  probe.send(test.component("gw"), 1);
  test.run_until(1);
  REQUIRE(probe.answers.size() == 1);
  CHECK(probe.answers[0].outcome == Outcome::ok);
  CHECK(summary_of(test.component("clicks"))["records_in"] == 1);
  model["components"]["gw"]["operation"] = "send";  // a stream has no SendMessage
  CHECK_THROWS_WITH(TestWorld(model), Catch::Contains("does not take 'send'"));
}

namespace {
json authorized(json authorizer)
{
  json model = gateway_before(0);
  model["components"]["gw"]["authorizer"] = authorizer;
  return model;
}
}  // namespace

TEST_CASE("api_gateway: a Cognito authorizer checks a token once, then its cached result lets the same user through at once", "[api_gateway]")
{
  TestWorld test(authorized({{"check_ms", {{"dist", "constant"}, {"value", 20}}}, {"result_ttl_s", 300}}));
  Probe probe(test.scheduler());
  probe.prototype.key = 5;  // one user
  test.start();
  probe.send(test.component("gw"), 1);
  test.scheduler().at(1, [&] { probe.send(test.component("gw"), 2); });
  test.scheduler().at(400, [&] { probe.send(test.component("gw"), 3); });  // past the TTL: checked again
  test.run_until(500);
  REQUIRE(probe.answers.size() == 3);
  CHECK(probe.answers[0].at_s == Approx(0.02));
  CHECK(probe.answers[1].at_s == Approx(1));
  CHECK(probe.answers[2].at_s == Approx(400.02));
  auto figures = summary_of(test.component("gw"))["authorizer"];
  CHECK(figures["checks"] == 2);
  CHECK(figures["cache_hits"] == 1);
}

TEST_CASE("api_gateway: an invalid token gets a 401 after the check; a kind the authorizer does not guard passes unchecked", "[api_gateway]")
{
  TestWorld test(authorized({{"check_ms", {{"dist", "constant"}, {"value", 20}}}, {"invalid_token_share", 1}, {"kinds", {"like"}}}));
  Probe probe(test.scheduler());
  test.start();
  probe.prototype.kind = test.world().kind_id("like");
  probe.send(test.component("gw"), 1);
  probe.prototype.kind = test.world().kind_id("list");
  probe.send(test.component("gw"), 2);
  test.run_until(1);
  REQUIRE(probe.answers.size() == 2);
  CHECK(probe.answers[0].tag == 2);  // unguarded: at once
  CHECK(probe.answers[1].outcome == Outcome::failed);
  CHECK(probe.answers[1].status == archlab::Status::unauthorized);
  CHECK(probe.answers[1].at_s == Approx(0.02));
  CHECK(summary_of(test.component("gw"))["authorizer"]["unauthorized"] == 1);
  CHECK(test.component("app").stats().counts().arrivals == 1);  // the 401 never reached the integration
}

TEST_CASE("theory: the authorizer's cache is a TTL cache: with Poisson requests over N users each hits λT/N / (1 + λT/N)", "[api_gateway][theory]")
{
  // λ = 20/s over 100 users, TTL 10 s: 0.2/s each, λ_i·T = 2, so 2/3 of the requests find a fresh result.
  TestWorld test(authorized({{"result_ttl_s", 10}, {"distinct_tokens", 100}}));
  Probe probe(test.scheduler());
  test.start();
  std::mt19937_64 random(3);
  std::exponential_distribution<double> gap_s(20);
  double at_s = 0;
  for (std::uint64_t tag = 1; tag <= 200000; ++tag)
    test.scheduler().at(at_s += gap_s(random), [&probe, &test, tag] { probe.send(test.component("gw"), tag); });
  test.run_until(at_s + 1);
  auto figures = summary_of(test.component("gw"))["authorizer"];
  double hits = figures["cache_hits"].get<double>(), checks = figures["checks"].get<double>();
  CHECK(hits + checks == 200000);
  CHECK(hits / (hits + checks) == Approx(2.0 / 3).epsilon(0.01));
}
