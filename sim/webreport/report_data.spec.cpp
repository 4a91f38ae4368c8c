#include "sim/core/problems.hpp"
#include "sim/diagram/signal_state.hpp"
#include "sim/webreport/report_data.hpp"

#include <catch2/catch.hpp>
#include <sstream>

using namespace archlab;
using namespace archlab::webreport;

namespace {

nlohmann::json fault(double at_s, const std::string& action, const std::string& target, int instance = -1)
{
  return {{"at_s", at_s}, {"action", action}, {"target", target}, {"instance", instance}, {"count", 1}, {"latency_factor", 10},
          {"failure_probability", 1}};
}

const char* DOCUMENT = R"({"name": "m", "components": {
    "q": {"type": "queue"},
    "api": {"type": "service", "instances": 2, "zones": ["a", "b"]},
    "db": {"type": "table", "zone": "a"}}, "faults": []})";

}  // namespace

TEST_CASE("report data: a time falls in the interval that ends at or after it", "[webreport]")
{
  const std::vector<double> times = {30, 60, 90};
  CHECK(interval_of(times, 0) == 0);
  CHECK(interval_of(times, 30) == 0);
  CHECK(interval_of(times, 30.5) == 1);
  CHECK(interval_of(times, 90) == 2);
  CHECK(interval_of(times, 500) == 2);
  CHECK(interval_of({}, 10) == 0);
}

TEST_CASE("report data: lasting faults run to their recovery or the end, the others are instants", "[webreport]")
{
  nlohmann::json faults = {fault(600, "kill", "api", 0), fault(900, "recover", "api", 0), fault(300, "crash", "workers"),
                           fault(1000, "hang", "db")};
  faults[2]["step"] = "delete";
  faults[3]["for_s"] = 60;
  faults.push_back(fault(1200, "slow", "api"));
  auto windows = fault_windows(faults, 3600);
  REQUIRE(windows.size() == 4);
  CHECK(windows[0].label == "crash workers at delete");
  CHECK(windows[0].is_instant);
  CHECK(windows[0].end_s == 300);
  CHECK(windows[1].label == "kill api#0");
  CHECK(windows[1].start_s == 600);
  CHECK(windows[1].end_s == 900);
  CHECK(windows[2].label == "hang db");
  CHECK(windows[2].end_s == 1060);
  CHECK(windows[3].label == "slow api");
  CHECK(windows[3].end_s == 3600);  // never recovered: to the end of the run
}

TEST_CASE("report data: routine traffic is thinned per component and interval, faults and scaling kept", "[webreport]")
{
  const std::vector<double> times = {30, 60};
  EventSelection selection(times);
  std::size_t kept = 0;
  for (std::size_t i = 0; i < 100; ++i)
    kept += selection.keep({1.0 + 0.1 * i, "q", "message sent"}, diagram::EventKind::message);
  CHECK(kept == ROUTINE_EVENTS_PER_INTERVAL);
  CHECK(selection.keep({31, "q", "message sent"}, diagram::EventKind::message));  // the next interval starts again
  CHECK(selection.keep({2, "w", "message sent"}, diagram::EventKind::message));   // so does another component
  CHECK(selection.keep({3, "q", "api#0 killed"}, diagram::EventKind::fault));
  CHECK(selection.keep({4, "w", "scale-out"}, diagram::EventKind::scaling));
  CHECK(selection.seen() == 104);
  CHECK(selection.left_out() == 100 - ROUTINE_EVENTS_PER_INTERVAL);
}

TEST_CASE("report data: a scaling line's mark says which way and to what", "[webreport]")
{
  CHECK(scaling_mark("scale-out: alarm queue_depth >= 10 for 1 of 1 periods (simple, latest 12): desired 1 → 2, launching 1") ==
        "scale-out 1 → 2");
  CHECK(scaling_mark("scale-in: alarm queue_depth < 2: desired 3 → 2") == "scale-in 3 → 2");
  CHECK(scaling_mark("instance 3 retiring: it finishes what it holds").empty());
}

TEST_CASE("report data: each interval's card state from the signals, faults and scaling marked on their cards", "[webreport]")
{
  auto document = nlohmann::json::parse(DOCUMENT);
  document["faults"] = {fault(40, "kill", "api", 0)};
  document["faults"][0]["for_s"] = 10;
  diagram::SignalTable signals;
  signals.times_s = {30, 60, 90};
  signals.series["q"] = {{"arrivals", {5, 5, 5}}, {"visible_messages", {0, 30, 2}}, {"dead_lettered", {0, 0, 1}}};
  signals.series["api"] = {{"arrivals", {10, 10, 10}}, {"busy", {1, 8, 1}}, {"capacity", {8, 8, 8}}};
  signals.series["db"] = {{"arrivals", {10, 10, 10}}, {"throttled", {0, 5, 0}}};
  std::istringstream log("    45.000  api  api#0 killed: 2 requests in progress failed\n"
                         "    61.000  q  message 1 sent (job 1)\n"
                         "    70.000  api  scale-out: alarm cpu >= 70: desired 2 → 3, launching 1\n");
  nlohmann::json summary = {{"sim_time_s", 90}, {"seed", 3}, {"scenario", "spike"}, {"wall_clock", {{"run_s", 0.1}}}};
  auto data = report_data({document, summary, signals, log});
  CHECK(data.at("title") == "m — scenario spike");
  CHECK_FALSE(data.at("summary").contains("wall_clock"));
  const auto& components = data.at("components");
  REQUIRE(components.size() == 3);
  const auto& api = components[0];  // the model's order (by id)
  const auto& db = components[1];
  const auto& q = components[2];
  REQUIRE(q.at("id") == "q");
  CHECK(q.at("facts")[0] == nlohmann::json{"visible messages 0", "0 dead lettered"});
  CHECK(q.at("facts")[1] == nlohmann::json{"visible messages 30", "0 dead lettered"});
  CHECK(q.at("colours")[1] == diagram::severity_colour(30.0 / 50));
  CHECK(q.at("facts")[2] == nlohmann::json{"1 dead lettered", "visible messages 2"});
  CHECK(db.at("colours")[0] == diagram::severity_colour(0));
  CHECK(db.at("colours")[1] == diagram::severity_colour(1));  // 5 of 10 throttled
  CHECK(db.at("facts")[0] == nlohmann::json{"0 throttled"});
  CHECK(db.at("facts")[1] == nlohmann::json{"5 throttled"});
  CHECK(api.at("flagged") == nlohmann::json{0, 1, 0});  // killed 40–50 s: the second interval only
  CHECK(api.at("facts")[1][0] == "⚠ kill api#0");
  CHECK(api.at("facts")[1][1] == "busy 100%");
  CHECK(api.at("facts")[2][0] == "↕ scale-out 2 → 3");
  CHECK(api.at("signals").size() == 3);  // the declared signals the file has, in declared order
  CHECK(api.at("signals")[0].at("name") == "arrivals");
  CHECK(data.at("scaling").size() == 1);
  CHECK(data.at("events").at("rows").size() == 3);
  CHECK(data.at("events").at("rows")[0][4] == nlohmann::json{0});  // about api, by index in "components"

  signals.series["ghost"] = {{"arrivals", {1, 1, 1}}};
  std::istringstream no_log;
  CHECK_THROWS_AS(report_data({document, summary, signals, no_log}), InputError);
}

TEST_CASE("report data: a zone outage marks what is placed in its zone", "[webreport]")
{
  auto document = nlohmann::json::parse(DOCUMENT);
  document["faults"] = {{{"at_s", 10}, {"action", "zone_outage"}, {"zone", "a"}, {"instance", -1}, {"count", 1}, {"latency_factor", 10},
                         {"failure_probability", 1}}};
  diagram::SignalTable signals;
  signals.times_s = {30};
  std::istringstream log;
  auto data = report_data({document, {{"sim_time_s", 30}}, signals, log});
  CHECK(data.at("components")[0].at("flagged")[0] == 1);  // api, in zones a and b
  CHECK(data.at("components")[1].at("flagged")[0] == 1);  // db, in a
  CHECK(data.at("components")[2].at("flagged")[0] == 0);  // q, placed nowhere
}

TEST_CASE("report data: a card keeps room for its widest fact and its most lines", "[webreport]")
{
  nlohmann::json data = {{"components", {{{"id", "q"}, {"facts", {{"a"}, {"visible messages 30", "1 dead lettered"}}}}}}};
  auto room = state_placeholders(data);
  REQUIRE(room.at("q").size() == 2);
  CHECK(room.at("q")[0].size() == std::string("visible messages 30").size() + 2);
}
