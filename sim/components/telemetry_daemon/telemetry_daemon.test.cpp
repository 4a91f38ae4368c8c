// The telemetry daemon on the test scheduler: what is uploaded when, and what is dropped in a burst.
#include "sim/core/fault_plan.hpp"
#include "sim/core/registry.hpp"
#include "sim/testing/test_world.hpp"

#include <catch2/catch.hpp>

using archlab::Operation;
using archlab::testing::Probe;
using archlab::testing::TestWorld;
using nlohmann::json;

namespace {
json daemon_model(json daemon)
{
  daemon["type"] = "telemetry_daemon";
  return {{"name", "daemon-test"}, {"components", {{"xray", daemon}}}, {"run", {{"duration_s", 100}}}};
}

std::shared_ptr<const archlab::CallArguments> sampling(double rate, int reservoir_per_s)
{
  const auto* type = archlab::find_component_type("telemetry_daemon");
  const auto* operation = archlab::find_operation(*type, "put_segment");
  return operation->read_arguments({{"sample_rate", rate}, {"sample_reservoir_per_s", reservoir_per_s}});
}

json segments_of(TestWorld& test)
{
  json summary;
  test.component("xray").add_summary(summary, 100);
  return summary.at("segments");
}

// `per_s` segments a second, evenly spaced, from 0 to `for_s`.
void send_segments(TestWorld& test, Probe& probe, const archlab::CallArguments* arguments, int per_s, double for_s)
{
  auto count = static_cast<int>(per_s * for_s);
  for (int i = 0; i < count; ++i)
    test.scheduler().at(static_cast<double>(i) / per_s, [&test, &probe, arguments, i] {
      probe.send(test.component("xray"), static_cast<std::uint64_t>(i + 1), Operation::named("put_segment"), arguments);
    });
}
}  // namespace

TEST_CASE("conformance (X-Ray daemon: a partial batch goes once 1 s has passed without a send; UDP is never answered)",
          "[telemetry_daemon][conformance]")
{
  TestWorld test(daemon_model({{"upload_ms", 100}}));
  Probe probe(test.scheduler());
  auto every_request = sampling(1, 0);
  test.start();
  send_segments(test, probe, every_request.get(), 100, 0.1);  // 10 segments in the first 0.1 s
  test.run_until(0.99);
  CHECK(segments_of(test)["uploaded"] == 0);
  test.run_until(1.05);
  CHECK(test.component("xray").signal("queued_batches") == 0.0);  // taken by an uploader at 1 s
  CHECK(segments_of(test)["uploaded"] == 0);
  test.run_until(1.11);
  CHECK(segments_of(test)["uploaded"] == 10);
  CHECK(probe.answers.empty());  // the senders heard nothing, ever
}

TEST_CASE("telemetry daemon: uploads keep up below 8 × 50 segments per upload time; above it the queue spills, the oldest first",
          "[telemetry_daemon]")
{
  auto run_at = [](int per_s, double upload_ms) {
    TestWorld test(daemon_model({{"upload_ms", upload_ms}}));
    Probe probe(test.scheduler());
    auto every_request = sampling(1, 0);
    test.start();
    send_segments(test, probe, every_request.get(), per_s, 20);
    test.run_until(60);
    return segments_of(test);
  };
  auto keeping_up = run_at(1000, 100);  // capacity 4,000 a second
  CHECK(keeping_up["dropped"] == 0);
  CHECK(keeping_up["uploaded"] == 20000);

  auto overrun = run_at(1000, 1000);  // capacity 400 a second
  CHECK(overrun["sent"] == 20000);
  // The queue of 20 batches fills in about 1.7 s; from then on about 600 a second spill.
  CHECK(overrun["spilled"].get<int>() > 10000);
  CHECK(overrun["spilled"].get<int>() < 12500);
  CHECK(overrun["uploaded"].get<int>() + overrun["spilled"].get<int>() == 20000);  // all accounted for once drained
  CHECK(overrun["drop_rate"].get<double>() > 0.5);
}

TEST_CASE("telemetry daemon: the SDK's default rule sends a fraction; a daemon that is down loses all it is sent", "[telemetry_daemon]")
{
  TestWorld test(daemon_model({{"upload_ms", 100}}));
  Probe probe(test.scheduler());
  auto default_rule = sampling(0.05, 1);
  test.start();
  send_segments(test, probe, default_rule.get(), 200, 50);
  archlab::FaultEvent kill;
  kill.action = "kill";
  kill.target = "xray";
  test.scheduler().at(30, [&test, kill] { test.component("xray").apply_fault(kill, test.world()); });
  test.run_until(100);
  auto segments = segments_of(test);
  CHECK(segments["offered"] == 10000);
  // 50 from the reservoirs, then 5 % of 9,950: about 548
  CHECK(segments["sent"].get<int>() > 460);
  CHECK(segments["sent"].get<int>() < 640);
  CHECK(segments["dropped_daemon_down"].get<int>() > 150);  // the last 20 s of them
  CHECK(segments["uploaded"].get<int>() + segments["dropped"].get<int>() == segments["sent"].get<int>());
}
