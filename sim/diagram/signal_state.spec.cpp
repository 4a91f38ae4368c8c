#include "sim/core/registry.hpp"
#include "sim/diagram/signal_state.hpp"
#include "sim/diagram/signal_table.hpp"
#include "sim/diagram/style.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <sstream>

using namespace archlab;
using namespace archlab::diagram;

TEST_CASE("signal state: roles come from the signal's name", "[diagram][state]")
{
  CHECK(signal_role("throttled") == SignalRole::loss);
  CHECK(signal_role("dead_lettered") == SignalRole::loss);
  CHECK(signal_role("rejected") == SignalRole::loss);
  CHECK(signal_role("visible_messages") == SignalRole::backlog);
  CHECK(signal_role("queue_length") == SignalRole::backlog);
  CHECK(signal_role("busy") == SignalRole::busy);
  CHECK(signal_role("capacity") == SignalRole::capacity);
  CHECK(signal_role("in_flight_messages") == SignalRole::info);
  CHECK(signal_role("latency_p99") == SignalRole::info);
}

TEST_CASE("signal state: any loss is orange, a tenth of the arrivals red; a backlog is yellow at 20", "[diagram][state]")
{
  CHECK(loss_severity(0, 100) == 0);
  CHECK(loss_severity(1, 1000) == Approx(0.7 + 0.3 * 0.01));
  CHECK(loss_severity(10, 100) == 1);
  CHECK(loss_severity(50, 100) == 1);
  CHECK(loss_severity(3, 0) == 1);  // lost with nothing arriving in the interval: all of it
  CHECK(backlog_severity(0) == 0);
  CHECK(backlog_severity(20) == Approx(0.5));
  CHECK(backlog_severity(180) == Approx(0.9));
  CHECK(severity_colour(0) == utilization_colour(0));
  CHECK(severity_colour(1) == utilization_colour(1));
}

TEST_CASE("signal state: a table that throttles is red though it is idle; the worst fact first", "[diagram][state]")
{
  const auto specs = find_component_type("table")->all_signals();
  auto calm = card_state(specs, {{"arrivals", 100}, {"throttled", 0}});
  CHECK(calm.severity == 0);
  CHECK(calm.facts == std::vector<std::string>{"0 throttled"});  // its own signal: shown though nothing happened
  CHECK(calm.colour == utilization_colour(0));
  auto throttling = card_state(specs, {{"arrivals", 100}, {"throttled", 12}, {"rejected", 1}});
  CHECK(throttling.severity == 1);
  CHECK(throttling.colour == utilization_colour(1));
  REQUIRE(throttling.facts.size() == 2);
  CHECK(throttling.facts[0] == "12 throttled");  // 12% of the arrivals: red, before the 1% rejected
  CHECK(throttling.facts[1] == "1 rejected");
}

TEST_CASE("signal state: a queue always shows its depth, a service how busy it is and what is alive", "[diagram][state]")
{
  const auto queue = find_component_type("queue")->all_signals();
  auto empty = card_state(queue, {{"visible_messages", 0}, {"dead_lettered", 0}});
  CHECK(empty.facts == std::vector<std::string>{"visible messages 0", "0 dead lettered"});
  auto filling = card_state(queue, {{"arrivals", 50}, {"visible_messages", 60}, {"dead_lettered", 2}});
  CHECK(filling.severity == Approx(0.82));  // 4% dead-lettered (0.7 + 0.3 × 0.4), above the backlog of 60 (0.75)
  CHECK(filling.facts == std::vector<std::string>{"2 dead lettered", "visible messages 60"});

  const auto service = find_component_type("service")->all_signals();
  auto busy = card_state(service, {{"arrivals", 10}, {"busy", 6}, {"capacity", 8}});
  CHECK(busy.severity == Approx(0.75));
  CHECK(busy.facts == std::vector<std::string>{"busy 75%", "8 workers alive"});
  auto none_alive = card_state(service, {{"arrivals", 10}, {"busy", 0}, {"capacity", 0}});
  CHECK(none_alive.facts.empty());
}

TEST_CASE("signal state: over a whole run counters add up and backlogs peak", "[diagram][state]")
{
  const auto queue = find_component_type("queue")->all_signals();
  auto values = whole_run_values(queue, {{"visible_messages", {1, 40, std::nan("")}}, {"dead_lettered", {0, 2, 3}}});
  CHECK(values.at("visible_messages") == 40);
  CHECK(values.at("dead_lettered") == 5);
  auto state = card_state(queue, values, StateScope::whole_run);
  CHECK(state.facts == std::vector<std::string>{"5 dead lettered", "peak visible messages 40"});
}

TEST_CASE("signal table: signals.csv read back per component and signal, bad rows named by line", "[diagram][state]")
{
  std::istringstream csv("time_s,component,signal,value\n30,q,visible_messages,3\n30,q,dead_lettered,0\n60,q,visible_messages,7\n");
  auto table = read_signal_table(csv, "signals.csv");
  CHECK(table.times_s == std::vector<double>{30, 60});
  REQUIRE(table.find("q"));
  CHECK(table.find("q")->at("visible_messages") == std::vector<double>{3, 7});
  CHECK(std::isnan(table.find("q")->at("dead_lettered")[1]));
  CHECK_FALSE(table.find("nobody"));
  auto message = [](const std::string& text) {
    std::istringstream bad(text);
    try {
      read_signal_table(bad, "signals.csv");
    } catch (const InputError& error) {
      return error.problems().front().path + ": " + error.problems().front().message;
    }
    return std::string();
  };
  CHECK(message("time,who\n").find("signals.csv: line 1: expected the header") == 0);
  CHECK(message("time_s,component,signal,value\n30,q,depth\n").find("line 2: expected 4 fields") != std::string::npos);
  CHECK(message("time_s,component,signal,value\n30,q,depth,lots\n").find("line 2: the value 'lots' is not a number") != std::string::npos);
}
