// An ALB's listener rules and a per-user limit in front of it, on the test scheduler: which request
// kind reaches which target (a Lambda function among them), and who is turned away when.
#include "sim/testing/test_world.hpp"

#include <catch2/catch.hpp>

using archlab::Outcome;
using archlab::Status;
using archlab::testing::Probe;
using archlab::testing::TestWorld;
using nlohmann::json;

namespace {
// Boards go to a function that takes 50 ms; everything else to a service that takes 1 ms.
json routed_balancer(json extra = json::object())
{
  json balancer = {{"type", "load_balancer"}, {"targets", {"app"}}, {"routes", {{{"kind", "board"}, {"target", "get_board"}}}}};
  for (auto& [field, value] : extra.items())
    balancer[field] = value;
  json function = {{"type", "function"}, {"init_ms", 0}, {"work_ms", {{"dist", "constant"}, {"value", 50}}}};
  json app = {{"type", "service"}, {"concurrency", 10}, {"service_time_ms", {{"dist", "constant"}, {"value", 1}}}};
  return {{"name", "alb-rules-test"},
          {"components", {{"alb", balancer}, {"get_board", function}, {"app", app}}},
          {"run", {{"duration_s", 100}}}};
}
}  // namespace

TEST_CASE("conformance (ALB: a listener rule sends a path's requests to its own target group, a Lambda function's among them)",
          "[load_balancer][conformance]")
{
  TestWorld test(routed_balancer());
  Probe probe(test.scheduler());
  test.start();
  auto board = test.world().kind_id("board");
  auto other = test.world().kind_id("write");
  test.scheduler().at(1, [&] {
    probe.prototype.kind = board;
    probe.send(test.component("alb"), 1);
    probe.prototype.kind = other;
    probe.send(test.component("alb"), 2);
  });
  test.run_until(10);
  REQUIRE(probe.answers.size() == 2);
  CHECK(probe.answers[0].tag == 2);  // the service's 1 ms
  CHECK(probe.answers[0].at_s == Approx(1.001));
  CHECK(probe.answers[1].tag == 1);  // the function's 50 ms
  CHECK(probe.answers[1].at_s == Approx(1.05));
  json summary;
  test.component("alb").add_summary(summary, 10);
  CHECK(summary["targets"]["get_board"]["requests"] == 1);
}

TEST_CASE("a per-user limit turns a user's extra requests away at the front, answered at once", "[load_balancer][per_user_limit]")
{
  TestWorld test(routed_balancer({{"rate_limit", {{"min_interval_s", 2.5}, {"kinds", {"write"}}}}}));
  test.world().control().warm_up_ends(0);
  Probe probe(test.scheduler());
  probe.prototype.kind = test.world().kind_id("write");
  probe.prototype.is_measured = true;
  test.start();
  for (std::uint64_t tag = 1; tag <= 6; ++tag)  // user 7 writes every second from 1 s
    test.scheduler().at(static_cast<double>(tag), [&, tag] {
      probe.prototype.user = 7;
      probe.send(test.component("alb"), tag);
    });
  test.scheduler().at(2.5, [&] {  // another user is not held back by user 7
    probe.prototype.user = 8;
    probe.send(test.component("alb"), 100);
  });
  test.run_until(20);
  std::vector<std::uint64_t> served, refused;
  for (const auto& heard : probe.answers) {
    if (heard.outcome == Outcome::ok)
      served.push_back(heard.tag);
    if (heard.outcome == Outcome::rejected) {
      refused.push_back(heard.tag);
      CHECK(heard.status == Status::throttled);
      CHECK(heard.at_s == Approx(static_cast<double>(heard.tag)));  // at once
    }
  }
  CHECK(served == std::vector<std::uint64_t>{1, 100, 4});  // 1 s, then 4 s: 3 s after the last admitted
  CHECK(refused == std::vector<std::uint64_t>{2, 3, 5, 6});
  json summary;
  test.component("alb").add_summary(summary, 20);
  CHECK(summary["rate_limited"] == 4);
}
