// The SNS topic on the test scheduler: who was delivered what when, retries on the documented
// schedules, the dead-letter queue, filters.
#include "sim/components/topic/topic.hpp"
#include "sim/core/fault_plan.hpp"
#include "sim/core/problems.hpp"
#include "sim/testing/test_world.hpp"

#include <catch2/catch.hpp>

using archlab::FaultEvent;
using archlab::Operation;
using archlab::Outcome;
using archlab::Request;
using archlab::testing::Probe;
using archlab::testing::TestWorld;
using nlohmann::json;

namespace {
const Operation publish = Operation::named("publish");

json constant_ms(double value) { return {{"dist", "constant"}, {"value", value}}; }

// A topic `news` (publish 20 ms, delivery 50 ms after it) with these subscriptions; queues `q1`,
// `q2`, `dlq` (5 ms API calls) and a service `endpoint` (10 ms of work) to subscribe.
json pipeline(json subscriptions)
{
  json queue = {{"type", "queue"}, {"api_latency_ms", constant_ms(5)}};
  return {{"name", "topic-test"},
          {"components",
           {{"news", {{"type", "topic"}, {"subscriptions", subscriptions}, {"api_latency_ms", constant_ms(20)}, {"delivery_latency_ms", constant_ms(50)}}},
            {"q1", queue},
            {"q2", queue},
            {"dlq", queue},
            {"endpoint", {{"type", "service"}, {"service_time_ms", constant_ms(10)}}}}},
          {"run", {{"duration_s", 100000}}}};
}

json subscription_figures(TestWorld& test, const std::string& target)
{
  json summary;
  test.component("news").add_summary(summary, test.scheduler().now());
  return summary.at("subscriptions").at(target);
}

double visible(TestWorld& test, const std::string& queue) { return *test.component(queue).signal("visible_messages"); }

void fail_endpoint(TestWorld& test, const char* action)
{
  FaultEvent fault;
  fault.action = action;
  fault.target = "endpoint";
  test.component("endpoint").apply_fault(fault, test.world());
}
}  // namespace

TEST_CASE("topic: a publish is answered after the API latency, then every subscribed queue gets the message", "[topic]")
{
  TestWorld test(pipeline(json::array({{{"target", "q1"}}, {{"target", "q2"}}})));
  Probe probe(test.scheduler());
  test.start();
  probe.send(test.component("news"), 1, publish);
  test.run_until(0.069);
  REQUIRE(probe.answers.size() == 1);
  CHECK(probe.answers[0].at_s == Approx(0.02));
  CHECK(probe.answers[0].outcome == Outcome::ok);
  CHECK(visible(test, "q1") == 0);  // the delivery leaves 50 ms after the answer, at 0.07
  test.run_until(0.071);
  CHECK(visible(test, "q1") == 1);
  CHECK(visible(test, "q2") == 1);
  test.run_until(1);
  auto figures = subscription_figures(test, "q1");
  CHECK(figures.at("protocol") == "sqs");
  CHECK(figures.at("delivered") == 1);
  CHECK(figures.at("retried") == 0);
  CHECK(figures.at("delivery_latency_s").at("max").get<double>() == Approx(0.075).epsilon(0.01));  // the queue's answer, 5 ms later
}

TEST_CASE("SNS conformance: a failing HTTP endpoint is retried 3 times 20 s apart, then the message is dropped", "[topic][conformance]")
{
  TestWorld test(pipeline(json::array({{{"target", "endpoint"}, {"operation", "request"}}})));
  Probe probe(test.scheduler());
  test.start();
  fail_endpoint(test, "fail");
  probe.send(test.component("news"), 1, publish);
  // Attempts at 0.07 s, then 20 s after each failure, which comes 10 ms after the attempt: 20.08, 40.09, 60.10.
  const std::pair<double, int> attempts_by[] = {{0.1, 1},      {20.075, 1}, {20.085, 2}, {40.085, 2},
                                                {40.095, 3}, {60.095, 3}, {60.105, 4}};
  for (auto [at_s, attempts] : attempts_by) {
    test.run_until(at_s);
    CHECK(subscription_figures(test, "endpoint").at("attempts") == attempts);
  }
  test.run_until(1000);
  auto figures = subscription_figures(test, "endpoint");
  CHECK(figures.at("protocol") == "http");
  CHECK(figures.at("attempts") == 4);
  CHECK(figures.at("retried") == 3);
  CHECK(figures.at("delivered") == 0);
  CHECK(figures.at("dropped") == 1);
  CHECK(figures.at("dead_lettered") == 0);
}

TEST_CASE("SNS conformance: exhausted retries go to the subscription's dead-letter queue instead of being dropped", "[topic][conformance]")
{
  TestWorld test(pipeline(json::array({{{"target", "endpoint"}, {"operation", "request"}, {"redrive_policy", {{"dead_letter_queue", "dlq"}}}}})));
  Probe probe(test.scheduler());
  test.start();
  fail_endpoint(test, "fail");
  probe.send(test.component("news"), 1, publish);
  test.run_until(60.105);  // the last attempt fails at 60.11
  CHECK(visible(test, "dlq") == 0);
  test.run_until(61);
  CHECK(visible(test, "dlq") == 1);
  auto figures = subscription_figures(test, "endpoint");
  CHECK(figures.at("dead_lettered") == 1);
  CHECK(figures.at("dropped") == 0);
}

TEST_CASE("topic: an endpoint that recovers gets the message on the retry after it is back", "[topic]")
{
  json subscription = {{"target", "endpoint"}, {"operation", "request"}, {"protocol", "https"},
                       {"delivery_policy", {{"num_retries", 5}, {"min_delay_target_s", 10}, {"max_delay_target_s", 10}}}};
  TestWorld test(pipeline(json::array({subscription})));
  Probe probe(test.scheduler());
  test.start();
  fail_endpoint(test, "fail");
  probe.send(test.component("news"), 1, publish);
  test.scheduler().at(25, [&] { fail_endpoint(test, "recover"); });
  test.run_until(1000);
  auto figures = subscription_figures(test, "endpoint");
  // Attempts at 0.07, 10.08, 20.09 fail; the one at 30.10 succeeds, answered at 30.11.
  CHECK(figures.at("attempts") == 4);
  CHECK(figures.at("retried") == 3);
  CHECK(figures.at("delivered") == 1);
  CHECK(figures.at("delivery_latency_s").at("max").get<double>() == Approx(30.11).epsilon(0.01));
}

TEST_CASE("SNS conformance: a managed endpoint is retried 3 times at once, then 1 s apart", "[topic][conformance]")
{
  TestWorld test(pipeline(json::array({{{"target", "endpoint"}, {"operation", "request"}, {"protocol", "lambda"}}})));
  Probe probe(test.scheduler());
  test.start();
  fail_endpoint(test, "fail");
  probe.send(test.component("news"), 1, publish);
  test.run_until(0.2);  // 0.07, 0.08, 0.09: each sent as the one before fails
  CHECK(subscription_figures(test, "endpoint").at("attempts") == 3);
  test.run_until(1.05);
  CHECK(subscription_figures(test, "endpoint").at("attempts") == 3);
  test.run_until(1.2);
  CHECK(subscription_figures(test, "endpoint").at("attempts") == 4);
  test.run_until(2.2);
  CHECK(subscription_figures(test, "endpoint").at("attempts") == 5);
  test.run_until(3600);  // still retrying an hour on: the managed schedule lasts 23 days
  auto figures = subscription_figures(test, "endpoint");
  CHECK(figures.at("dropped") == 0);
  CHECK(figures.at("attempts").get<int>() > 150);
}

TEST_CASE("topic: a filter on the request kind leaves the other kinds out", "[topic]")
{
  TestWorld test(pipeline(json::array({{{"target", "q1"}, {"filter", {{"kinds", {"upload"}}}}}, {{"target", "q2"}}})));
  Probe probe(test.scheduler());
  test.start();
  Request upload, other;
  upload.kind = test.world().kind_id("upload");
  other.kind = test.world().kind_id("delete");
  test.component("news").accept({&upload, &probe, 1, publish});
  test.component("news").accept({&other, &probe, 2, publish});
  test.run_until(1);
  CHECK(visible(test, "q1") == 1);
  CHECK(visible(test, "q2") == 2);
  auto figures = subscription_figures(test, "q1");
  CHECK(figures.at("matched") == 1);
  CHECK(figures.at("filtered_out") == 1);
  CHECK(probe.answers.size() == 2);
}

namespace {
std::vector<archlab::Problem> problems_of(json subscriptions, bool is_dead_letter_fifo = false)
{
  auto model = pipeline(std::move(subscriptions));
  model["components"]["dlq"]["fifo"] = is_dead_letter_fifo;
  try {
    archlab::model_from_json(std::move(model), "m.json");
  } catch (const archlab::InputError& error) {
    return error.problems();
  }
  return {};
}
}  // namespace

TEST_CASE("topic: bad subscriptions are refused with the path of what is wrong", "[topic]")
{
  SECTION("the same endpoint twice")
  {
    auto problems = problems_of(json::array({{{"target", "q1"}}, {{"target", "q1"}}}));
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].path == "components.news.subscriptions[1].target");
  }
  SECTION("a delivery policy on a managed endpoint")
  {
    auto problems = problems_of(json::array({{{"target", "q1"}, {"delivery_policy", {{"num_retries", 5}}}}}));
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].path == "components.news.subscriptions[0].delivery_policy");
    CHECK(problems[0].message.find("only HTTP/S") != std::string::npos);
  }
  SECTION("an HTTP/S policy retrying for longer than 3,600 s")
  {
    json subscription = {{"target", "endpoint"}, {"operation", "request"},
                         {"delivery_policy", {{"num_retries", 50}, {"min_delay_target_s", 100}, {"max_delay_target_s", 100}}}};
    auto problems = problems_of(json::array({subscription}));
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].path == "components.news.subscriptions[0].delivery_policy");
    CHECK(problems[0].message.find("5000 s") != std::string::npos);
  }
  SECTION("an operation the target does not take")
  {
    auto problems = problems_of(json::array({{{"target", "endpoint"}}}));  // a service does not take send
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].path == "components.news.subscriptions[0].target");
  }
  SECTION("a FIFO dead-letter queue for a standard topic")
  {
    auto problems = problems_of(json::array({{{"target", "q1"}, {"redrive_policy", {{"dead_letter_queue", "dlq"}}}}}), true);
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].path == "components.news.subscriptions[0].redrive_policy.dead_letter_queue");
  }
  SECTION("a dead-letter target that is not a queue")
  {
    auto problems = problems_of(json::array({{{"target", "q1"}, {"redrive_policy", {{"dead_letter_queue", "endpoint"}}}}}));
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].path == "components.news.subscriptions[0].redrive_policy.dead_letter_queue");
  }
}

TEST_CASE("topic: while a fail fault holds, a publish is answered 500 and delivered to no one; recover ends it", "[topic]")
{
  TestWorld test(pipeline(json::array({{{"target", "q1"}}})));
  Probe probe(test.scheduler());
  test.start();
  FaultEvent fault;
  fault.action = "fail";
  fault.target = "news";
  test.component("news").apply_fault(fault, test.world());
  probe.send(test.component("news"), 1, publish);
  test.run_until(1);
  REQUIRE(probe.answers.size() == 1);
  CHECK(probe.answers[0].outcome == Outcome::failed);
  CHECK(probe.answers[0].at_s == Approx(0.02));  // the API's latency still passes before the error
  CHECK(visible(test, "q1") == 0);
  fault.action = "recover";
  test.component("news").apply_fault(fault, test.world());
  probe.send(test.component("news"), 2, publish);
  test.run_until(2);
  REQUIRE(probe.answers.size() == 2);
  CHECK(probe.answers[1].outcome == Outcome::ok);
  CHECK(visible(test, "q1") == 1);
  json summary;
  test.component("news").add_summary(summary, test.scheduler().now());
  CHECK(summary.at("published") == 1);
  CHECK(summary.at("publishes_failed") == 1);
}
