// The CDN on the test scheduler: request collapsing (held to its origin-rate formula), stale if
// error and error caching (CloudFront's documented behaviour), TTLs per request kind; edge locations
// and the Origin Shield (their origin rates held to the TTL-cache formulas), invalidations, the age
// of what is served, and the validation of the new fields.
#include "sim/components/cdn/cdn.hpp"
#include "sim/components/cache/cache_theory.hpp"
#include "sim/core/fault_plan.hpp"
#include "sim/core/problems.hpp"
#include "sim/testing/test_world.hpp"

#include <catch2/catch.hpp>
#include <cmath>

using archlab::FaultEvent;
using archlab::Outcome;
using archlab::Status;
using archlab::testing::Probe;
using archlab::testing::TestWorld;
using nlohmann::json;

namespace {
json constant_ms(double value) { return {{"dist", "constant"}, {"value", value}}; }

json cdn_model(json cdn, double origin_ms)
{
  cdn["type"] = "cdn";
  cdn["edge_latency_ms"] = constant_ms(1);
  if (!cdn.contains("origin"))
    cdn["origin"] = {{"target", "api"}};
  json api = {{"type", "service"}, {"service_time_ms", constant_ms(origin_ms)}, {"concurrency", 100}};
  json db = {{"type", "table"}, {"latency_ms", {{"get", constant_ms(origin_ms)}}}, {"sdk_max_attempts", 1}};
  return {{"name", "cdn-test"}, {"components", {{"edge", cdn}, {"api", api}, {"db", db}}}, {"run", {{"duration_s", 5000}}}};
}

json summary_of(TestWorld& test)
{
  json summary;
  test.component("edge").add_summary(summary, 0);
  return summary;
}
}  // namespace

TEST_CASE("cdn: concurrent misses for one object make one origin request (CloudFront request collapsing)", "[cdn][conformance]")
{
  for (bool collapse : {true, false}) {
    TestWorld test(cdn_model({{"ttl_s", 60}, {"collapse", collapse}}, 100));
    Probe probe(test.scheduler());
    probe.prototype.key = 1;
    probe.prototype.is_measured = true;
    test.start();
    for (int i = 0; i < 5; ++i)
      test.scheduler().at(0.01 * i, [&, i] { probe.send(test.component("edge"), i); });
    test.run_until(1);
    REQUIRE(probe.answers.size() == 5);
    // All wait for the first origin request (0 → 0.100) when collapsing, plus the edge's 1 ms back.
    CHECK(probe.answers[4].at_s == Approx(collapse ? 0.101 : 0.141));
    CHECK(test.component("api").stats().lifetime().arrivals == (collapse ? 1u : 5u));
    CHECK(summary_of(test)["collapsed"] == (collapse ? 4 : 0));
  }
}

TEST_CASE("cdn: an expired copy is served when the origin fails, and the error is cached for 10 s (CloudFront stale-if-error, error caching)", "[cdn][conformance]")
{
  TestWorld test(cdn_model({{"ttl_s", 10}, {"origin", {{"target", "db"}, {"operation", "get"}}}}, 5));
  Probe probe(test.scheduler());
  probe.prototype.key = 8;
  probe.prototype.is_measured = true;
  test.start();
  auto& edge = test.component("edge");
  FaultEvent fail{.at_s = 5, .action = "fail", .target = "db", .failure_probability = 1};
  test.scheduler().at(0, [&] { probe.send(edge, 1); });
  test.scheduler().at(5, [&] { test.component("db").apply_fault(fail, test.world()); });
  test.scheduler().at(20, [&] { probe.send(edge, 2); });  // expired: the origin fails, the stale copy is served
  test.scheduler().at(25, [&] { probe.send(edge, 3); });  // within the cached error: no origin request
  test.scheduler().at(40, [&] { probe.send(edge, 4); });  // the cached error is over: the origin fails again
  test.run_until(60);
  REQUIRE(probe.answers.size() == 4);
  for (const auto& heard : probe.answers)
    CHECK(heard.outcome == Outcome::ok);
  CHECK(probe.answers[1].status == Status::hit);
  CHECK(probe.answers[1].at_s == Approx(20.006));
  CHECK(probe.answers[2].at_s == Approx(25.001));
  CHECK(test.component("db").stats().lifetime().arrivals == 3);  // at 0, 20 and 40
  auto summary = summary_of(test);
  CHECK(summary["stale_served_on_error"] == 3);
  CHECK(summary["origin_requests"] == 3);
}

TEST_CASE("cdn: each request kind has its own behaviour, its TTL from the origin's max-age within its bounds", "[cdn]")
{
  TestWorld test(cdn_model({{"ttl_s", 100}, {"behaviors", {{"api", {{"max_ttl_s", 2}, {"origin_max_age_s", 60}}}}}}, 5));
  Probe probe(test.scheduler());
  probe.prototype.key = 1;
  probe.prototype.kind = test.world().kind_id("api");
  test.start();
  auto& edge = test.component("edge");
  probe.send(edge, 1);
  test.scheduler().at(3, [&] { probe.send(edge, 2); });  // the api object lived 2 s: a miss
  test.scheduler().at(3.5, [&] {
    probe.prototype.kind = 0;
    probe.send(edge, 3);
  });
  test.scheduler().at(50, [&] { probe.send(edge, 4); });  // the page lives 100 s: a hit
  test.run_until(60);
  REQUIRE(probe.answers.size() == 4);
  CHECK(probe.answers[1].status == Status::miss);
  CHECK(probe.answers[2].status == Status::miss);  // another cache key: another kind
  CHECK(probe.answers[3].status == Status::hit);
}

TEST_CASE("cdn theory: with collapsing, one object's origin rate is 1/(D + T + 1/λ), and without, 1 + λD fetches a longer cycle", "[cdn][theory]")
{
  // λ = 2 per s Poisson, origin fetch D = 0.5 s, TTL T = 1 s.
  const double rate_per_s = 2, fetch_s = 0.5, ttl_s = 1, duration_s = 5000;
  for (bool collapse : {true, false}) {
    auto model = cdn_model({{"ttl_s", ttl_s}, {"collapse", collapse}}, fetch_s * 1000);
    model["components"]["users"] = {{"type", "client"}, {"target", "edge"}, {"arrivals", {{"process", "poisson"}, {"rate_per_s", rate_per_s}}}};
    TestWorld test(model);
    test.world().control().warm_up_ends(0);  // every request measured, as a run without warm-up has it
    test.start();
    test.run_until(duration_s);
    double origin_rate_per_s = static_cast<double>(test.component("api").stats().lifetime().arrivals) / duration_s;
    double expected = collapse ? archlab::collapsed_origin_rate_per_s(rate_per_s, fetch_s, ttl_s)
                               : archlab::uncollapsed_origin_rate_per_s(rate_per_s, fetch_s, ttl_s);
    INFO("collapse " << collapse << ": origin " << origin_rate_per_s << " per s, formula " << expected);
    CHECK(origin_rate_per_s == Approx(expected).epsilon(0.03));
  }
}

namespace {
// A caller that keeps every answer whole (the Probe keeps no age): who was answered when, with what.
struct AgeProbe final : archlab::Caller {
  struct Heard {
    std::uint64_t tag;
    double at_s;
    archlab::Answer answer;
  };
  explicit AgeProbe(archlab::Scheduler& scheduler) : scheduler(scheduler) {}
  void send(archlab::Endpoint& target, std::uint64_t tag, std::uint64_t connection)
  {
    requests.push_back(std::make_unique<archlab::Request>());
    auto& request = *requests.back();
    request.id = tag;
    request.key = 1;
    request.connection = connection;
    request.is_measured = true;
    request.sent_s = scheduler.now();
    target.accept(archlab::Call{&request, this, tag, {}, nullptr});
  }
  void on_answer(const archlab::Call& call, const archlab::Answer& answer) override { heard.push_back({call.tag, scheduler.now(), answer}); }
  const Heard& of(std::uint64_t tag) const
  {
    for (const auto& one : heard)
      if (one.tag == tag)
        return one;
    FAIL("no answer for " << tag);
    return heard.front();
  }

  archlab::Scheduler& scheduler;
  std::vector<std::unique_ptr<archlab::Request>> requests;
  std::vector<Heard> heard;
};

// A viewer's connection that lands on each of `edge_locations` POPs, in order.
std::vector<std::uint64_t> one_viewer_per_pop(std::uint32_t edge_locations)
{
  std::vector<std::uint64_t> viewers(edge_locations, 0);
  std::uint32_t found = 0;
  archlab::Request request;
  for (std::uint64_t connection = 1; found < edge_locations; ++connection) {
    request.connection = connection;
    auto pop = archlab::cdn_edge_location(request, edge_locations);
    if (viewers[pop] == 0) {
      viewers[pop] = connection;
      ++found;
    }
  }
  return viewers;
}

std::uint64_t origin_arrivals(TestWorld& test) { return test.component("api").stats().lifetime().arrivals; }

std::vector<archlab::Problem> problems_of(json document)
{
  try {
    archlab::model_from_json(std::move(document), "m.json");
  } catch (const archlab::InputError& error) {
    return error.problems();
  }
  return {};
}

bool has_problem_at(const std::vector<archlab::Problem>& problems, const std::string& path)
{
  for (const auto& problem : problems)
    if (problem.path == path)
      return true;
  return false;
}
}  // namespace

TEST_CASE("cdn: a viewer keeps one edge location; requests from nobody in particular spread evenly over them", "[cdn]")
{
  using archlab::cdn_edge_location;
  archlab::Request request;
  request.id = 1;
  request.connection = 77;
  CHECK(cdn_edge_location(request, 1) == 0);
  auto by_connection = cdn_edge_location(request, 8);
  request.id = 999;
  CHECK(cdn_edge_location(request, 8) == by_connection);  // the connection decides, not the request
  request.user = 12;
  auto by_user = cdn_edge_location(request, 8);
  request.connection = 78;
  CHECK(cdn_edge_location(request, 8) == by_user);  // the user decides over the connection
  std::vector<int> per_pop(8, 0);
  archlab::Request anonymous;
  for (std::uint64_t id = 1; id <= 80000; ++id) {
    anonymous.id = id;
    ++per_pop[cdn_edge_location(anonymous, 8)];
  }
  for (int count : per_pop)
    CHECK(count == Approx(10000).margin(400));  // binomial sd ≈ 94: 4 sd
}

TEST_CASE("cdn: with Origin Shield on, a request for an object an edge lacks goes to the shield, not the origin (CloudFront Origin Shield)", "[cdn][conformance]")
{
  for (bool shield : {true, false}) {
    INFO("origin_shield " << shield);
    TestWorld test(cdn_model({{"ttl_s", 60}, {"edge_locations", 2}, {"origin_shield", shield}}, 100));
    AgeProbe probe(test.scheduler());
    auto viewers = one_viewer_per_pop(2);
    auto& edge = test.component("edge");
    test.start();
    test.scheduler().at(0, [&] { probe.send(edge, 1, viewers[0]); });  // POP 0: a miss everywhere, to the origin
    test.scheduler().at(1, [&] { probe.send(edge, 2, viewers[1]); });  // POP 1 lacks it
    test.scheduler().at(2, [&] { probe.send(edge, 3, viewers[1]); });  // now POP 1 has it
    test.run_until(10);
    REQUIRE(probe.heard.size() == 3);
    CHECK(probe.of(1).at_s == Approx(0.101));
    CHECK(probe.of(1).answer.status == Status::miss);
    CHECK(probe.of(2).answer.status == Status::miss);  // a miss at its edge either way
    CHECK(probe.of(3).answer.status == Status::hit);
    auto summary = summary_of(test);
    if (shield) {
      CHECK(probe.of(2).at_s == Approx(1.001));  // from the shield's copy: no origin request
      CHECK(origin_arrivals(test) == 1);
      CHECK(summary["shield_hits"] == 1);
      CHECK(summary["origin_requests"] == 1);
      // The shield's copy left the origin at 0.1: its age goes with it to the edge.
      CHECK(probe.of(2).answer.age_s == Approx(0.9).margin(1e-4));
      CHECK(probe.of(3).answer.age_s == Approx(1.9).margin(1e-4));
    } else {
      CHECK(probe.of(2).at_s == Approx(1.101));  // POP 1 asks the origin itself
      CHECK(origin_arrivals(test) == 2);
      CHECK(summary["origin_requests"] == 2);
      CHECK_FALSE(summary.contains("shield_hits"));
      CHECK(probe.of(3).answer.age_s == Approx(0.9).margin(1e-4));
    }
    CHECK(summary["misses"] == 2);
    CHECK(summary["hits"] == 1);
    CHECK(summary["edge_locations"] == 2);
  }
}

TEST_CASE("cdn: the shield collapses the misses of several edges into one origin request, and a POP's copy expires with the shield's", "[cdn][conformance]")
{
  TestWorld test(cdn_model({{"ttl_s", 10}, {"edge_locations", 3}, {"origin_shield", true}}, 100));
  AgeProbe probe(test.scheduler());
  auto viewers = one_viewer_per_pop(3);
  auto& edge = test.component("edge");
  test.start();
  for (std::uint64_t pop = 0; pop < 3; ++pop)
    test.scheduler().at(0.01 * static_cast<double>(pop), [&, pop] { probe.send(edge, pop + 1, viewers[pop]); });
  test.scheduler().at(5, [&] { probe.send(edge, 4, viewers[2]); });     // a POP hit, its copy 4.9 s old
  test.scheduler().at(10.05, [&] { probe.send(edge, 5, viewers[1]); });  // before 10.1: still fresh
  test.scheduler().at(10.2, [&] { probe.send(edge, 6, viewers[2]); });   // every layer's copy expired at 10.1
  test.run_until(20);
  REQUIRE(probe.heard.size() == 6);
  for (std::uint64_t tag = 1; tag <= 3; ++tag)  // all three wait for the shield's one origin request
    CHECK(probe.of(tag).at_s == Approx(0.101));
  CHECK(probe.of(4).answer.status == Status::hit);
  CHECK(probe.of(4).answer.age_s == Approx(4.9).margin(1e-4));
  CHECK(probe.of(5).answer.status == Status::hit);
  CHECK(probe.of(6).answer.status == Status::miss);
  CHECK(probe.of(6).at_s == Approx(10.301));
  CHECK(probe.of(6).answer.age_s == 0);  // fresh from the origin
  CHECK(origin_arrivals(test) == 2);
  auto summary = summary_of(test);
  CHECK(summary["shield_collapsed"] == 2);
  CHECK(summary["shield_hits"] == 0);
  std::vector<archlab::BillingLine> billing;
  test.component("edge").add_billing(billing, 20);
  REQUIRE(billing.size() == 3);
  CHECK(billing[2].item == "cloudfront.origin_shield.request");
  CHECK(billing[2].quantity == 4);  // each POP's request that went through the shield
}

TEST_CASE("cdn: an invalidation clears every edge's copy and the shield's once it has propagated; the next request is a miss (CloudFront invalidation)", "[cdn][conformance]")
{
  for (bool shield : {true, false}) {
    INFO("origin_shield " << shield);
    TestWorld test(cdn_model({{"ttl_s", 3600}, {"edge_locations", 3}, {"origin_shield", shield}, {"invalidation_s", 5}}, 100));
    AgeProbe probe(test.scheduler());
    auto viewers = one_viewer_per_pop(3);
    auto& edge = test.component("edge");
    test.start();
    for (std::uint64_t pop = 0; pop < 3; ++pop)
      test.scheduler().at(static_cast<double>(pop), [&, pop] { probe.send(edge, pop + 1, viewers[pop]); });
    FaultEvent invalidate{.at_s = 10, .action = "invalidate", .target = "edge", .count = 1500};
    test.scheduler().at(10, [&] { edge.apply_fault(invalidate, test.world()); });
    test.scheduler().at(12, [&] { probe.send(edge, 4, viewers[0]); });  // still propagating: a hit
    for (std::uint64_t pop = 0; pop < 3; ++pop)
      test.scheduler().at(20 + static_cast<double>(pop), [&, pop] { probe.send(edge, pop + 5, viewers[pop]); });
    test.run_until(40);
    REQUIRE(probe.heard.size() == 7);
    CHECK(probe.of(4).answer.status == Status::hit);
    for (std::uint64_t tag = 5; tag <= 7; ++tag)
      CHECK(probe.of(tag).answer.status == Status::miss);
    CHECK(probe.of(5).at_s == Approx(20.101));  // the first after it goes to the origin
    // With the shield, the other edges refill from its new copy; without, each asks the origin.
    CHECK(origin_arrivals(test) == (shield ? 2u : 6u));
    auto summary = summary_of(test);
    CHECK(summary["invalidations"] == 1);
    CHECK(summary["invalidation_paths"] == 1500);
    CHECK(summary["invalidated_objects"] == (shield ? 4 : 3));  // three edges' copies and the shield's
    std::vector<archlab::BillingLine> billing;
    edge.add_billing(billing, 40);
    CHECK(billing.back().item == "cloudfront.invalidation.path");
    CHECK(billing.back().quantity == 500);  // the first 1,000 paths of the month are free
  }
  CHECK(archlab::cdn_billed_invalidation_paths(1) == 0);
  CHECK(archlab::cdn_billed_invalidation_paths(1000) == 0);
  CHECK(archlab::cdn_billed_invalidation_paths(1001) == 1);
}

TEST_CASE("cdn: the age of what is served: a hit's copy age, 0 for a miss and its collapsed waiters, the copy's age when stale on error", "[cdn]")
{
  TestWorld test(cdn_model({{"ttl_s", 10}, {"origin", {{"target", "db"}, {"operation", "get"}}}}, 100));
  AgeProbe probe(test.scheduler());
  auto& edge = test.component("edge");
  test.start();
  test.scheduler().at(0, [&] { probe.send(edge, 1, 0); });
  test.scheduler().at(0.05, [&] { probe.send(edge, 2, 0); });  // collapsed into the first
  test.scheduler().at(4, [&] { probe.send(edge, 3, 0); });
  FaultEvent fail{.at_s = 15, .action = "fail", .target = "db", .failure_probability = 1};
  test.scheduler().at(15, [&] { test.component("db").apply_fault(fail, test.world()); });
  test.scheduler().at(20, [&] { probe.send(edge, 4, 0); });  // expired, the origin fails: the stale copy
  test.run_until(30);
  REQUIRE(probe.heard.size() == 4);
  CHECK(probe.of(1).answer.age_s == 0);
  CHECK(probe.of(2).answer.age_s == 0);
  CHECK(probe.of(3).answer.age_s == Approx(3.9).margin(1e-4));
  CHECK(probe.of(4).answer.status == Status::hit);
  CHECK(probe.of(4).answer.age_s == Approx(19.9).margin(1e-4));
  auto summary = summary_of(test);
  // served_age_s records the same ages: (0 + 0 + 3.9 + 19.9) / 4.
  CHECK(summary["served_age_s"]["mean"].get<double>() == Approx(5.95).epsilon(0.01));
}

TEST_CASE("cdn: an origin that answers with an age (a cache in front) makes the CDN's copy that much older, and it expires sooner", "[cdn]")
{
  // outer → inner → api: the inner CDN keeps the object 100 s, the outer 60 s from when it left the api.
  auto model = cdn_model({{"ttl_s", 100}}, 100);
  model["components"]["outer"] = {{"type", "cdn"}, {"ttl_s", 60}, {"edge_latency_ms", constant_ms(1)}, {"origin", {{"target", "edge"}}}};
  TestWorld test(model);
  AgeProbe probe(test.scheduler());
  auto& inner = test.component("edge");
  auto& outer = test.component("outer");
  test.start();
  test.scheduler().at(0, [&] { probe.send(inner, 1, 0); });   // the api's copy, made at 0.1
  test.scheduler().at(30, [&] { probe.send(outer, 2, 0); });  // the outer's miss: the inner's copy, 29.9 s old
  test.scheduler().at(50, [&] { probe.send(outer, 3, 0); });  // a hit on it: 49.899 s old (it reached the outer at 30.001)
  test.scheduler().at(61, [&] { probe.send(outer, 4, 0); });  // 60.899 s old: past the outer's 60 s, a miss
  test.run_until(70);
  REQUIRE(probe.heard.size() == 4);
  CHECK(probe.of(2).answer.status == Status::miss);
  CHECK(probe.of(2).answer.age_s == Approx(29.9).margin(1e-3));
  CHECK(probe.of(3).answer.status == Status::hit);
  CHECK(probe.of(3).answer.age_s == Approx(49.899).margin(1e-3));
  CHECK(probe.of(4).answer.status == Status::miss);
  CHECK(probe.of(4).answer.age_s == Approx(60.9).margin(1e-3));  // the inner's copy again, too old to keep
  CHECK(origin_arrivals(test) == 1);
  json summary;
  outer.add_summary(summary, 0);
  CHECK(summary["objects"] == 1);
  CHECK(summary["served_age_s"]["mean"].get<double>() == Approx((29.9 + 49.899 + 60.9) / 3).epsilon(0.01));
}

TEST_CASE("cdn theory: N edge locations each fetch a hot object, 1/(D + T + 1/λ) apiece; with the shield the origin sees one TTL cache at Nλ", "[cdn][theory]")
{
  // One object, λ = 0.5 per s at each of N = 4 POPs (Poisson: a client's requests land on POPs at
  // random), TTL T = 10 s set when the origin answers, origin fetch D = 0.1 s, collapsing on. Without
  // the shield each POP is its own TTL cache: N/(D + T + 1/λ), about Nλ/(1 + λT) for small D. With it,
  // every POP's copy comes from the shield's and expires with it, so the origin sees a single TTL
  // cache of all N·λ: 1/(D + T + 1/(Nλ)). Each count is a renewal process: the cycle's only random
  // part is the exponential wait, so its coefficient of variation is (1/λ')/(D + T + 1/λ'), and the
  // count's relative error about cv/√cycles; the tolerance is 4 of those, plus one cycle of edge effect.
  const double rate_per_pop_s = 0.5, fetch_s = 0.1, ttl_s = 10, duration_s = 20000;
  const std::uint32_t pops = 4;
  for (bool shield : {false, true}) {
    auto model = cdn_model({{"ttl_s", ttl_s}, {"edge_locations", pops}, {"origin_shield", shield}}, fetch_s * 1000);
    model["components"]["users"] = {{"type", "client"}, {"target", "edge"}, {"arrivals", {{"process", "poisson"}, {"rate_per_s", rate_per_pop_s * pops}}}};
    model["run"]["duration_s"] = duration_s;
    TestWorld test(model);
    test.world().control().warm_up_ends(0);  // every request measured, as a run without warm-up has it
    test.start();
    test.run_until(duration_s);
    double origin_rate_per_s = static_cast<double>(origin_arrivals(test)) / duration_s;
    double cycle_rate_per_s = shield ? rate_per_pop_s * pops : rate_per_pop_s;  // the stream one cache sees
    double expected = (shield ? 1 : pops) * archlab::collapsed_origin_rate_per_s(cycle_rate_per_s, fetch_s, ttl_s);
    double cycles = expected * duration_s;
    double cv = (1 / cycle_rate_per_s) / (fetch_s + ttl_s + 1 / cycle_rate_per_s);
    double tolerance = 4 * cv / std::sqrt(cycles) + (shield ? 1 : pops) / cycles;
    INFO("shield " << shield << ": origin " << origin_rate_per_s << " per s, formula " << expected << ", tolerance " << tolerance);
    CHECK(origin_rate_per_s == Approx(expected).epsilon(tolerance));
    if (!shield) {
      // Each POP's hit ratio: a cycle holds λT hits (Poisson) among 1 + λD + λT requests, so
      // p = λT/(1 + λ(D + T)), λT/(1 + λT) as D → 0. Its error over C cycles: the sd of
      // hits − p·requests per cycle, √((1 − p)²λT + p²λD), over √C·(1 + λD + λT).
      auto summary = summary_of(test);
      double hit_ratio = summary["hit_ratio"].get<double>();
      double lambda_t = rate_per_pop_s * ttl_s, lambda_d = rate_per_pop_s * fetch_s;
      double expected_hits = lambda_t / (1 + lambda_d + lambda_t);
      double sd = std::sqrt((1 - expected_hits) * (1 - expected_hits) * lambda_t + expected_hits * expected_hits * lambda_d) /
                  (std::sqrt(cycles) * (1 + lambda_d + lambda_t));
      INFO("hit ratio " << hit_ratio << ", formula " << expected_hits << " ± " << 4 * sd << " (λT/(1+λT) = "
                        << archlab::ttl_hit_ratio({1.0}, rate_per_pop_s, ttl_s) << ")");
      CHECK(hit_ratio == Approx(expected_hits).margin(4 * sd));
    }
  }
}

TEST_CASE("cdn: bad edge locations, shield, invalidation settings and invalidate faults are refused with their path", "[cdn]")
{
  auto with = [](json fields) {
    auto model = cdn_model(std::move(fields), 5);
    return problems_of(model);
  };
  CHECK(has_problem_at(with({{"edge_locations", 0}}), "components.edge.edge_locations"));
  CHECK(has_problem_at(with({{"edge_locations", 5000}}), "components.edge.edge_locations"));
  CHECK(has_problem_at(with({{"edge_locations", "many"}}), "components.edge.edge_locations"));
  CHECK(has_problem_at(with({{"origin_shield", "yes"}}), "components.edge.origin_shield"));
  CHECK(has_problem_at(with({{"invalidation_s", -1}}), "components.edge.invalidation_s"));
  CHECK(with({{"edge_locations", 12}, {"origin_shield", true}, {"invalidation_s", 0}}).empty());
  auto model = cdn_model({}, 5);
  model["faults"] = json::array({{{"at_s", 10}, {"action", "invalidate"}, {"target", "edge"}, {"for_s", 30}},
                                 {{"at_s", 20}, {"action", "invalidate"}, {"target", "edge"}, {"instance", 2}}});
  auto problems = problems_of(model);
  CHECK(has_problem_at(problems, "faults[0].for_s"));
  CHECK(has_problem_at(problems, "faults[1].instance"));
  model["faults"] = json::array({{{"at_s", 10}, {"action", "kill"}, {"target", "edge"}}});
  CHECK(has_problem_at(problems_of(model), "faults[0].action"));  // a distribution takes invalidations only
}
