// The SQS event-source mapping on the test scheduler: the poller ramp over minutes, batches by size
// and window, and a burst past reserved concurrency whose throttled batches reach the DLQ unless
// maximum_concurrency holds the pollers to the function's concurrency.
#include "sim/jobs/job_ledger.hpp"
#include "sim/testing/test_world.hpp"

#include <catch2/catch.hpp>

namespace archlab::testing {

using nlohmann::json;

namespace {
const Operation send_operation = Operation::named("send");

json constant_ms(double ms) { return {{"dist", "constant"}, {"value", ms}}; }

// queue → mapping → function; the queue's dead-letter queue when max_receive_count is given.
json mapping_model(json mapping, json function, json queue)
{
  mapping["type"] = "event_source_mapping";
  mapping["queue"] = "jobs";
  mapping["function"] = "trim";
  function["type"] = "function";
  function["init_ms"] = constant_ms(0);
  queue["type"] = "queue";
  queue["api_latency_ms"] = constant_ms(5);
  json components = {{"jobs", queue}, {"trim", function}, {"esm", mapping}};
  if (queue.contains("max_receive_count")) {
    components["jobs"]["dead_letter_queue"] = "jobs-dlq";
    components["jobs-dlq"] = {{"type", "queue"}, {"api_latency_ms", constant_ms(5)}};
  }
  return {{"name", "esm-test"}, {"components", components}, {"run", {{"duration_s", 3600}}}};
}

void send_messages(TestWorld& test, Probe& probe, int count)
{
  for (int i = 0; i < count; ++i)
    probe.send(test.component("jobs"), static_cast<std::uint64_t>(i), send_operation);
}

json summary_of(TestWorld& test, const std::string& id)
{
  json summary;
  test.component(id).add_summary(summary, test.scheduler().now());
  return summary;
}
}  // namespace

TEST_CASE("event source mapping: 5 pollers, then 300 more each minute while messages remain", "[event_source_mapping][conformance]")
{
  // AWS Lambda, SQS scaling (services-sqs-scaling.html): 5 concurrent batches at first, up to 300
  // more per minute while messages remain. Each invoke here runs 30 s, so concurrency = pollers.
  TestWorld test(mapping_model({{"batch_size", 1}}, {{"timeout_s", 60}, {"work_ms", constant_ms(30000)}},
                               {{"visibility_timeout_s", 600}}));
  Probe probe(test.scheduler());
  test.start();
  send_messages(test, probe, 5000);
  std::vector<double> pollers, concurrency;
  for (double at_s : {20.0, 80.0, 140.0})
    test.scheduler().at(at_s, [&] {
      pollers.push_back(*test.component("esm").signal("pollers"));
      concurrency.push_back(*test.component("trim").signal("concurrency"));
    });
  test.run_until(141);
  CHECK(pollers == std::vector<double>{5, 305, 605});
  CHECK(concurrency == std::vector<double>{5, 305, 605});
}

TEST_CASE("event source mapping: each poller's batch waits for its window, then goes as one invoke", "[event_source_mapping][conformance]")
{
  // AWS Lambda with SQS (with-sqs.html): a poller invokes once its batch is full or the batching
  // window has run out; the batch is one synchronous invoke. 15 messages at 10 s, 5 pollers, a
  // batch of up to 50 and a 2 s window: nothing is invoked before 12 s, then at most one invoke
  // per poller carries all 15.
  TestWorld test(mapping_model({{"batch_size", 50}, {"maximum_batching_window_s", 2}}, {{"work_ms", constant_ms(100)}}, json::object()));
  Probe probe(test.scheduler());
  test.start();
  test.scheduler().at(10, [&] { send_messages(test, probe, 15); });
  json before, after;
  test.scheduler().at(11.99, [&] { before = summary_of(test, "trim"); });
  test.scheduler().at(12.05, [&] { after = summary_of(test, "trim"); });
  test.run_until(20);
  auto esm = summary_of(test, "esm");
  CHECK(before["invocations"] == 0);
  CHECK(after["invocations"] == esm["batches"]);
  CHECK(esm["batches"].get<int>() >= 1);
  CHECK(esm["batches"].get<int>() <= 5);
  CHECK(esm["messages_invoked"] == 15);
  CHECK(esm["messages_deleted"] == 15);
  CHECK(test.component("jobs").signal("visible_messages") == 0.0);
  CHECK(*test.component("jobs").signal("in_flight_messages") == 0.0);
}

namespace {
// A burst of 200 messages on a function reserved to 2 environments (each run 20 s); maxReceiveCount 3.
json burst_model(json mapping)
{
  mapping["batch_size"] = 1;
  return mapping_model(mapping, {{"timeout_s", 30}, {"reserved_concurrency", 2}, {"work_ms", constant_ms(20000)}},
                       {{"visibility_timeout_s", 180}, {"max_receive_count", 3}});
}
}  // namespace

TEST_CASE("event source mapping: throttled batches return with a higher receive count and reach the DLQ unprocessed",
          "[event_source_mapping][conformance]")
{
  // Known AWS behaviour (aws-facts: Lambda SQS event source, throttling burns receive count):
  // messages fetched while the function is throttled go back to the queue, their receive count
  // raised, and can be moved to the DLQ without ever being processed.
  TestWorld test(burst_model(json::object()));
  Probe probe(test.scheduler());
  test.start();
  send_messages(test, probe, 200);
  test.run_until(3600);
  auto esm = summary_of(test, "esm");
  auto queue = summary_of(test, "jobs");
  CHECK(esm["throttled_batches"].get<int>() > 0);
  CHECK(queue["dead_lettered"].get<int>() > 0);
  // Dead-lettered messages were never invoked: every message is either processed or in the DLQ.
  CHECK(esm["messages_deleted"].get<int>() + queue["dead_lettered"].get<int>() == 200);
  CHECK(summary_of(test, "trim")["invocations"].get<int>() == esm["messages_deleted"].get<int>());
}

TEST_CASE("event source mapping: maximum_concurrency at the reserved concurrency prevents throttles and dead letters",
          "[event_source_mapping][conformance]")
{
  // AWS (services-sqs-scaling.html, MaximumConcurrency): the mapping makes at most that many
  // concurrent invokes, so with it at the reserved concurrency nothing is throttled.
  TestWorld test(burst_model({{"maximum_concurrency", 2}}));
  Probe probe(test.scheduler());
  test.start();
  send_messages(test, probe, 200);
  test.run_until(3600);
  auto esm = summary_of(test, "esm");
  CHECK(esm["throttled_batches"] == 0);
  CHECK(summary_of(test, "jobs")["dead_lettered"] == 0);
  CHECK(esm["messages_deleted"] == 200);  // 200 × 20 s over 2 environments: done by 2,000 s
  CHECK(esm["pollers"]["max"] == 2);
}

namespace {
// Ten jobs at 10 s, the last one poison, batches of up to 10 in a 2 s window, maxReceiveCount 1:
// what is not deleted after its first receive goes to the DLQ. Returns the queue's dead letters.
int poison_in_a_batch(bool reports_item_failures, json& esm)
{
  TestWorld test(mapping_model({{"batch_size", 10}, {"maximum_batching_window_s", 2}, {"report_batch_item_failures", reports_item_failures}},
                               {{"work_ms", constant_ms(100)}}, {{"max_receive_count", 1}}));
  Probe probe(test.scheduler());
  test.start();
  test.scheduler().at(10, [&] {
    auto& jobs = jobs_of(test.world());
    for (int i = 0; i < 10; ++i) {
      probe.prototype.job = jobs.create(10, true);
      if (i == 9)
        jobs.mark_next(true, 1);  // the queue marks the job of its next send
      probe.send(test.component("jobs"), static_cast<std::uint64_t>(i), send_operation);
    }
  });
  test.run_until(200);
  esm = summary_of(test, "esm");
  return summary_of(test, "jobs")["dead_lettered"].get<int>();
}
}  // namespace

TEST_CASE("event source mapping: without partial batch responses a poison item returns its whole batch", "[event_source_mapping][conformance]")
{
  // AWS Lambda with SQS (with-sqs.html): by default a batch that fails becomes visible again as a
  // whole, so its good messages are received again (here: dead-lettered with the poison one).
  json esm;
  int dead = poison_in_a_batch(false, esm);
  CHECK(dead > 1);
  CHECK(esm["failed_batches"] == 1);
  CHECK(esm["messages_deleted"].get<int>() == 10 - dead);
}

TEST_CASE("event source mapping: with partial batch responses only the poison item returns", "[event_source_mapping][conformance]")
{
  // AWS Lambda with SQS (with-sqs.html), ReportBatchItemFailures: only the reported items return.
  json esm;
  CHECK(poison_in_a_batch(true, esm) == 1);
  CHECK(esm["messages_deleted"] == 9);
  CHECK(esm["messages_returned"] == 1);
}

TEST_CASE("event source mapping: a FIFO queue with one message group has one batch in flight", "[event_source_mapping][conformance]")
{
  // AWS Lambda with SQS FIFO (with-sqs.html): one batch per message group at a time, so the
  // function's concurrency is at most the number of active groups, here 1, for all 5 pollers.
  TestWorld test(mapping_model({{"batch_size", 1}}, {{"work_ms", constant_ms(1000)}},
                               {{"fifo", true}, {"message_group", "constant"}, {"deduplication", "none"}}));
  Probe probe(test.scheduler());
  test.start();
  send_messages(test, probe, 20);
  test.run_until(100);
  CHECK(summary_of(test, "trim")["concurrency"]["max"] == 1.0);
  CHECK(summary_of(test, "esm")["messages_deleted"] == 20);
}

TEST_CASE("event source mapping: a FIFO queue takes batches of at most 10", "[event_source_mapping]")
{
  auto document = mapping_model({{"batch_size", 11}, {"maximum_batching_window_s", 1}}, json::object(), {{"fifo", true}});
  CHECK_THROWS_WITH(TestWorld(document), Catch::Contains("components.esm.batch_size"));
}

TEST_CASE("event source mapping: a visibility timeout below the run time runs the job twice", "[event_source_mapping][conformance]")
{
  // AWS Lambda with SQS (with-sqs.html): a message whose visibility timeout ends while its batch
  // still runs becomes visible and is received again, hence the advice of 6 x the function timeout.
  // One job, an 8 s run, a 5 s visibility timeout: a second poller takes it at 5 s.
  TestWorld test(mapping_model({{"batch_size", 1}}, {{"timeout_s", 10}, {"work_ms", constant_ms(8000)}}, {{"visibility_timeout_s", 5}}));
  Probe probe(test.scheduler());
  test.start();
  test.scheduler().at(1, [&] {
    auto& jobs = jobs_of(test.world());
    probe.prototype.job = jobs.create(1, true);
    jobs.accepted(probe.prototype.job);
    probe.send(test.component("jobs"), 1, send_operation);
  });
  test.run_until(30);
  CHECK(summary_of(test, "trim")["invocations"] == 2);
  CHECK(jobs_of(test.world()).summary(30)["executed_more_than_once"] == 1);
}

}  // namespace archlab::testing
