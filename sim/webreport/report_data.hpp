// The data the run report's page is built from (sim/webreport/page/): per interval of the run, each
// component's state (colour and facts, sim/diagram/signal_state.hpp) with its faults and scaling
// marked; every declared signal as a series for the plots; the fault windows; and the events, routine
// traffic thinned so that the page stays small. Pure: inputs in, JSON out.
#pragma once

#include "sim/diagram/event_kinds.hpp"
#include "sim/diagram/signal_table.hpp"

#include <cstddef>
#include <istream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace archlab::webreport {

inline constexpr std::size_t MAX_CARD_LINES = 4;
inline constexpr std::size_t ROUTINE_EVENTS_PER_INTERVAL = 20;  // per component: the rest are counted, and in events.log
inline constexpr std::size_t MAX_NOTABLE_EVENTS = 20000;

// The interval a time falls in: interval i is (times_s[i-1], times_s[i]], the first one from 0. A time
// past the last sample is in the last interval; no samples at all: 0.
std::size_t interval_of(const std::vector<double>& times_s, double time_s);

// A fault from the model's "faults" (resolved, sim/core/fault_plan.hpp): one that lasts (kill, hang,
// slow, fail, zone_outage) runs until its recovery (a `for_s` or a later "recover" of the same target,
// instance and zone) or the end of the run; the others (crash, poison, never_ending) are instants.
struct FaultWindow {
  double start_s = 0;
  double end_s = 0;
  std::string target;  // component id; "" for a zone outage
  std::string zone;    // a zone outage's zone
  std::string label;   // "kill api#0", "zone_outage us-east-1a", "crash workers at delete"
  bool is_instant = false;
};
std::vector<FaultWindow> fault_windows(const nlohmann::json& faults, double run_end_s);

// Which events the page keeps: every fault-related, scaling or other notable one (up to
// MAX_NOTABLE_EVENTS), and of routine traffic (messages, polls) the first ROUTINE_EVENTS_PER_INTERVAL
// per component and interval, so every moment of the timeline still shows some.
class EventSelection {
public:
  explicit EventSelection(const std::vector<double>& times_s) : times_s_(times_s) {}
  bool keep(const diagram::EventLine& event, diagram::EventKind kind);  // counts what it leaves out
  std::size_t seen() const { return seen_; }
  std::size_t left_out() const { return left_out_; }

private:
  const std::vector<double>& times_s_;
  std::map<std::pair<std::string, std::size_t>, std::size_t> routine_kept_;
  std::size_t notable_kept_ = 0;
  std::size_t seen_ = 0;
  std::size_t left_out_ = 0;
};

// A scaling line's mark on a card: "scale-out 2 → 3" from "scale-out: alarm ...: desired 2 → 3, ...";
// "" for scaling lines that are no scaling activity (an instance retiring).
std::string scaling_mark(const std::string& text);

struct ReportInputs {
  const nlohmann::json& model_document;  // resolved (sim/core/model.hpp): components, faults, run
  const nlohmann::json& summary;         // summary.json
  const diagram::SignalTable& signals;   // signals.csv
  std::istream& events_log;              // events.log
};

// {"title", "model", "scenario", "seed", "duration_s", "times_s", "components": [{"id", "type",
// "signals": [{"name", "unit", "kind", "meaning", "values"}], "colours", "facts", "flagged"}], "faults",
// "scaling", "events": {"kinds", "sources", "rows": [[time_s, source, kind, text, [about]]], "seen",
// "left_out"}, "summary"}. Throws InputError when the signals name a component the model lacks.
nlohmann::json report_data(const ReportInputs& inputs);

// Per component, lines as wide as its widest fact and as many as it ever shows: the room its card keeps.
std::map<std::string, std::vector<std::string>> state_placeholders(const nlohmann::json& data);

}  // namespace archlab::webreport
