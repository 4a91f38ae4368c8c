// Declared signals read by name: a queue's visible messages, counters as increases per interval.
#include "sim/report/signal_series.hpp"

#include "sim/testing/test_world.hpp"

#include <catch2/catch.hpp>

using archlab::Operation;
using archlab::SignalSeries;
using archlab::testing::Probe;
using archlab::testing::TestWorld;

TEST_CASE("signals: a queue answers visible_messages and messages_sent by name; unknown names get nothing", "[signals]")
{
  TestWorld test({{"name", "signals"},
                  {"components", {{"jobs", {{"type", "queue"}, {"api_latency_ms", {{"dist", "constant"}, {"value", 5}}}}}}},
                  {"run", {{"duration_s", 100}}}});
  Probe probe(test.scheduler());
  test.start();
  const Operation send = Operation::named("send");
  auto& jobs = test.component("jobs");
  SignalSeries series({&jobs}, true);
  for (int i = 0; i < 3; ++i)
    probe.send(jobs, i, send);
  test.run_until(1);
  CHECK(jobs.signal("visible_messages") == 3.0);
  CHECK(jobs.signal("messages_sent") == 3.0);
  CHECK_FALSE(jobs.signal("no_such_signal").has_value());
  series.sample(1);
  probe.send(jobs, 4, send);
  test.run_until(2);
  series.sample(2);
  std::string csv = series.csv();
  CHECK(csv.find("1,jobs,messages_sent,3\n") != std::string::npos);
  CHECK(csv.find("2,jobs,messages_sent,1\n") != std::string::npos);     // a counter: the increase
  CHECK(csv.find("2,jobs,visible_messages,4\n") != std::string::npos);  // a gauge: the level
}

TEST_CASE("signals: the summary's section holds a type's own signals: a counter's total, a gauge's mean, max and end", "[signals]")
{
  TestWorld test({{"name", "signals"},
                  {"components", {{"jobs", {{"type", "queue"}, {"api_latency_ms", {{"dist", "constant"}, {"value", 5}}}}}}},
                  {"run", {{"duration_s", 100}}}});
  Probe probe(test.scheduler());
  test.start();
  auto& jobs = test.component("jobs");
  SignalSeries series({&jobs}, false);  // no rows kept: the summary's figures come all the same
  const Operation send = Operation::named("send");
  probe.send(jobs, 1, send);
  test.run_until(1);
  series.sample(1);  // 1 visible
  for (int i = 2; i <= 4; ++i)
    probe.send(jobs, i, send);
  test.run_until(2);
  series.sample(2);  // 4 visible
  auto section = series.summary_of(0);
  CHECK(section.at("visible_messages").at("mean") == Approx(2.5));
  CHECK(section.at("visible_messages").at("max") == 4.0);
  CHECK(section.at("visible_messages").at("at_end") == 4.0);
  CHECK(section.at("messages_sent").at("total") == 4.0);
  CHECK_FALSE(section.contains("arrivals"));  // a standard signal: the summary has it already
  CHECK(series.csv() == std::string(SignalSeries::header()) + "\n");
}

