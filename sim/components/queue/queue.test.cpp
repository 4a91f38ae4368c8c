// The SQS queue on the test scheduler: sends, receives and visibility, who got what when.
#include "sim/components/queue/queue.hpp"
#include "sim/testing/test_world.hpp"

#include <catch2/catch.hpp>

using archlab::ReceiveArguments;
using archlab::Operation;
using archlab::Outcome;
using archlab::testing::Probe;
using archlab::testing::TestWorld;
using nlohmann::json;

namespace {
const Operation send_operation = Operation::named("send");
const Operation receive_operation = Operation::named("receive");

ReceiveArguments receive_arguments(int max_messages, double wait_time_s)
{
  ReceiveArguments arguments;
  arguments.request.max_messages = max_messages;
  arguments.request.wait_time_s = wait_time_s;
  return arguments;
}

json one_queue(json queue)
{
  queue["type"] = "queue";
  queue["api_latency_ms"] = {{"dist", "constant"}, {"value", 5}};
  return {{"name", "queue-test"}, {"components", {{"jobs", queue}}}, {"run", {{"duration_s", 1000}}}};
}
}  // namespace

TEST_CASE("queue: a long poll is answered as soon as a message arrives, not at the end of its wait", "[queue]")
{
  TestWorld test(one_queue({}));
  Probe probe(test.scheduler());
  test.start();
  auto receive = receive_arguments(1, 20);
  probe.send(test.component("jobs"), 1, receive_operation, &receive);
  test.scheduler().at(3.0, [&] { probe.send(test.component("jobs"), 2, send_operation); });
  test.run_until(30);
  // The message is stored when the send arrives (3.0); both answers take the 5 ms API latency back,
  // and at that equal time the receive, scheduled first, is answered first.
  REQUIRE(probe.answers.size() == 2);
  CHECK(probe.answers[0].tag == 1);
  CHECK(probe.answers[0].at_s == Approx(3.005));
  CHECK(probe.answers[0].outcome == Outcome::ok);
  CHECK(probe.answers[1].tag == 2);
  CHECK(probe.answers[1].at_s == Approx(3.005));
}

TEST_CASE("queue: a long poll with nothing to receive ends at its wait time", "[queue]")
{
  TestWorld test(one_queue({}));
  Probe probe(test.scheduler());
  test.start();
  auto receive = receive_arguments(10, 20);
  probe.send(test.component("jobs"), 1, receive_operation, &receive);
  test.run_until(60);
  REQUIRE(probe.answers.size() == 1);
  CHECK(probe.answers[0].at_s == Approx(20.005));
}

TEST_CASE("queue: a send above MaximumMessageSize is refused (failed) and a 200 KiB one billed as 4 requests", "[queue]")
{
  // AWS: MaximumMessageSize 1,024 bytes..1 MiB; each 64 KiB chunk of a payload is billed as a request.
  TestWorld test(one_queue({{"max_message_size_bytes", 262144}}));
  Probe probe(test.scheduler());
  test.start();
  probe.prototype.size_bytes = 300000;
  probe.send(test.component("jobs"), 1, send_operation);
  probe.prototype.size_bytes = 200 * 1024;
  probe.send(test.component("jobs"), 2, send_operation);
  test.run_until(1);
  REQUIRE(probe.answers.size() == 2);
  CHECK(probe.answers[0].tag == 1);
  CHECK(probe.answers[0].outcome == Outcome::failed);
  CHECK(probe.answers[1].outcome == Outcome::ok);
  CHECK(test.component("jobs").signal("visible_messages") == 1.0);
  std::vector<archlab::BillingLine> billing;
  test.component("jobs").add_billing(billing, 1);
  REQUIRE_FALSE(billing.empty());
  CHECK(billing[0].item == "sqs.standard.request");
  CHECK(billing[0].quantity == 5);  // 1 for the refused send + 4 chunks for the 200 KiB one
}

