// The stream on the test scheduler: when each flush happens and who is answered when, a transform
// that fails, and the mean delivery delay held to the size-or-time buffer's formula.
#include "sim/components/stream/stream_theory.hpp"
#include "sim/core/fault_plan.hpp"
#include "sim/testing/test_world.hpp"

#include <catch2/catch.hpp>
#include <random>

using archlab::FaultEvent;
using archlab::Operation;
using archlab::Outcome;
using archlab::testing::Probe;
using archlab::testing::TestWorld;
using nlohmann::json;

namespace {
const Operation put_record = Operation::named("put_record");

json constant_ms(double value) { return {{"dist", "constant"}, {"value", value}}; }

// A stream `clicks` (PutRecord answered at once) into a bucket `lake` whose puts take 30 ms and no
// transfer time, with these settings.
json pipeline(json stream, json others = json::object())
{
  stream["type"] = "stream";
  stream["destination"] = "lake";
  stream["api_latency_ms"] = constant_ms(0);
  others["clicks"] = stream;
  others["lake"] = {{"type", "bucket"}, {"latency_ms", {{"put", constant_ms(30)}}}, {"transfer_bytes_per_s", 1e18},
                    {"object_keys", {{"processing_failed", {{"prefix", "processing-failed/"}}}}}};
  return {{"name", "stream-test"}, {"components", others}, {"run", {{"duration_s", 100000}}}};
}

json figures(TestWorld& test, const std::string& id)
{
  json summary;
  test.component(id).add_summary(summary, test.scheduler().now());
  return summary;
}

void send_at(TestWorld& test, Probe& probe, double at_s, std::uint64_t tag)
{
  test.scheduler().at(at_s, [&test, &probe, tag] { probe.send(test.component("clicks"), tag, put_record); });
}
}  // namespace

TEST_CASE("conformance (Firehose buffering hints: the interval flushes a buffer that has not reached its size)", "[stream][conformance]")
{
  TestWorld test(pipeline({{"buffer_interval_s", 60}, {"buffer_size_mib", 5}}));
  Probe probe(test.scheduler());
  test.start();
  for (auto [at_s, tag] : {std::pair{1.0, 1}, {2.0, 2}, {10.0, 3}})
    send_at(test, probe, at_s, tag);
  test.run_until(60.9);
  CHECK(probe.answers.size() == 3);  // every PutRecord answered at once
  CHECK(figures(test, "lake")["objects"] == 0);
  CHECK(figures(test, "clicks")["records_delivered"] == 0);
  test.run_until(61.02);
  CHECK(figures(test, "clicks")["flushes"] == 1);  // 60 s after the first record
  CHECK(figures(test, "lake")["objects"] == 0);    // the put takes 30 ms
  test.run_until(61.04);
  auto stream = figures(test, "clicks");
  CHECK(figures(test, "lake")["objects"] == 1);
  CHECK(stream["records_delivered"] == 3);
  CHECK(stream["delivery_delay_s"]["max"].get<double>() == Approx(60.03).epsilon(0.005));   // the first record
  CHECK(stream["delivery_delay_s"]["mean"].get<double>() == Approx((60.03 + 59.03 + 51.03) / 3).epsilon(0.005));
  send_at(test, probe, 100, 4);  // a new buffer opens with the next record
  test.run_until(159.9);
  CHECK(figures(test, "clicks")["flushes"] == 1);
  test.run_until(160.1);
  CHECK(figures(test, "clicks")["flushes"] == 2);
}

TEST_CASE("conformance (Firehose buffering hints: whichever is reached first, the size flushes at once)", "[stream][conformance]")
{
  TestWorld test(pipeline({{"buffer_interval_s", 300}, {"buffer_size_mib", 1}}));
  Probe probe(test.scheduler());
  probe.prototype.size_bytes = 512 * 1024;  // two records fill 1 MiB
  test.start();
  send_at(test, probe, 1, 1);
  send_at(test, probe, 5, 2);
  send_at(test, probe, 6, 3);
  test.run_until(5.04);
  auto stream = figures(test, "clicks");
  CHECK(stream["flushes"] == 1);
  CHECK(stream["records_delivered"] == 2);
  CHECK(stream["delivery_delay_s"]["max"].get<double>() == Approx(4.03).epsilon(0.005));
  test.run_until(305);
  CHECK(figures(test, "clicks")["flushes"] == 1);  // the third record's buffer is still open: it opened at 6 s
  test.run_until(306.1);
  CHECK(figures(test, "clicks")["flushes"] == 2);
  CHECK(figures(test, "lake")["stored_bytes"] == 3 * 512 * 1024);
}

TEST_CASE("conformance (Firehose data transformation: a failed invocation is retried 3 times, then its records go to the error output)",
          "[stream][conformance]")
{
  json fn = {{"type", "function"}, {"init_ms", 0}, {"work_ms", constant_ms(100)}, {"timeout_s", 60}};
  TestWorld test(pipeline({{"buffer_interval_s", 10}, {"transform", "enrich"}, {"transform_interval_s", 5}}, {{"enrich", fn}}));
  Probe probe(test.scheduler());
  test.start();
  FaultEvent fault;
  fault.action = "fail";
  fault.target = "enrich";
  test.component("enrich").apply_fault(fault, test.world());
  send_at(test, probe, 1, 1);
  send_at(test, probe, 2, 2);
  test.run_until(100);
  auto stream = figures(test, "clicks");
  CHECK(stream["transform_invocations"] == 4);  // the first and 3 retries
  CHECK(stream["transform_failures"] == 4);
  CHECK(stream["records_failed"] == 2);
  CHECK(stream["records_delivered"] == 0);
  CHECK(figures(test, "lake")["objects"] == 1);  // one error object, under processing-failed/
  fault.action = "recover";
  test.component("enrich").apply_fault(fault, test.world());
  send_at(test, probe, 200, 3);
  test.run_until(300);
  stream = figures(test, "clicks");
  CHECK(stream["transform_invocations"] == 5);
  CHECK(stream["records_delivered"] == 1);
  // The transform's 5 s buffer, its 100 ms, then the destination's 10 s buffer and the 30 ms put.
  CHECK(stream["delivery_delay_s"]["max"].get<double>() == Approx(5 + 0.1 + 10 + 0.03).epsilon(0.002));
}

TEST_CASE("stream: a transformed batch joins the destination's buffer, which fills by size across batches", "[stream]")
{
  json fn = {{"type", "function"}, {"init_ms", 0}, {"work_ms", constant_ms(100)}, {"timeout_s", 60}};
  TestWorld test(pipeline({{"buffer_size_mib", 1}, {"buffer_interval_s", 900}, {"transform", "enrich"}, {"transform_buffer_mib", 0.5}},
                          {{"enrich", fn}}));
  Probe probe(test.scheduler());
  probe.prototype.size_bytes = 256 * 1024;  // two records fill the transform's 0.5 MiB, four the destination's 1 MiB
  test.start();
  for (std::uint64_t tag = 1; tag <= 4; ++tag)
    send_at(test, probe, static_cast<double>(tag), tag);
  test.run_until(4.05);
  CHECK(figures(test, "clicks")["transform_invocations"] == 2);  // at 2 s and 4 s
  CHECK(figures(test, "clicks")["flushes"] == 0);
  test.run_until(4.2);
  auto stream = figures(test, "clicks");
  CHECK(stream["flushes"] == 1);  // the second batch, back at 4.1 s, filled it
  CHECK(stream["records_delivered"] == 4);
  CHECK(stream["delivery_delay_s"]["max"].get<double>() == Approx(3.13).epsilon(0.002));  // the first record: 1 s to 4.13 s
}

TEST_CASE("theory: with Poisson records the mean delivery delay is the size-or-time buffer's W, plus the put", "[stream][theory]")
{
  // λ = 10/s, N = 100 records of 10,486 B in 1 MiB, T = 5 s: W = 2.549 s, 51 records a flush.
  TestWorld test(pipeline({{"buffer_interval_s", 5}, {"buffer_size_mib", 1}}));
  Probe probe(test.scheduler());
  probe.prototype.size_bytes = 10486;
  test.start();
  std::mt19937_64 random(7);
  std::exponential_distribution<double> gap_s(10);
  double at_s = 0;
  for (std::uint64_t tag = 1; tag <= 400000; ++tag)
    send_at(test, probe, at_s += gap_s(random), tag);
  test.run_until(at_s + 10);
  auto theory = archlab::size_or_time_buffer(10, 100, 5);
  auto stream = figures(test, "clicks");
  REQUIRE(stream["records_delivered"] == 400000);
  CHECK(stream["delivery_delay_s"]["mean"].get<double>() - 0.03 == Approx(theory.mean_delay_s).epsilon(0.01));
  CHECK(stream["records_per_flush_mean"].get<double>() == Approx(theory.records_per_flush).epsilon(0.01));
}

TEST_CASE("stream: an operation it does not take is answered failed at once, and nothing is buffered", "[stream]")
{
  TestWorld test(pipeline({{"buffer_interval_s", 60}}));
  Probe probe(test.scheduler());
  test.start();
  probe.send(test.component("clicks"), 1, Operation::named("send"));
  test.run_until(1);
  REQUIRE(probe.answers.size() == 1);
  CHECK(probe.answers[0].outcome == Outcome::failed);
  CHECK(probe.answers[0].at_s == 0);
  CHECK(figures(test, "clicks")["records_in"] == 0);
}
