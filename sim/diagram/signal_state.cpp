#include "sim/diagram/signal_state.hpp"

#include "sim/diagram/card.hpp"
#include "sim/diagram/style.hpp"

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <iterator>
#include <numeric>

namespace archlab::diagram {

namespace {

constexpr double HALF_WAY_BACKLOG = 20;  // waiting items at which a backlog reads yellow
constexpr double LOSS_FLOOR = 0.7;       // any loss at all: orange
constexpr double RED_LOSS_SHARE = 0.1;   // this share of the arrivals lost: red

bool has_any(const std::string& name, std::initializer_list<const char*> words)
{
  return std::any_of(words.begin(), words.end(), [&](const char* word) { return name.find(word) != std::string::npos; });
}

std::string words(std::string name)
{
  std::replace(name.begin(), name.end(), '_', ' ');
  return name;
}

double value_of(const SignalValues& values, const std::string& name)
{
  auto it = values.find(name);
  return it == values.end() || !std::isfinite(it->second) ? 0.0 : it->second;
}

struct Fact {
  double severity;
  std::size_t order;  // declared order, for ties
  std::string text;
};

}  // namespace

SignalRole signal_role(const std::string& name)
{
  if (has_any(name, {"rejected", "failed", "throttled", "dead_letter", "timed_out", "expired", "given_up", "error", "lost"}))
    return SignalRole::loss;
  if (has_any(name, {"queue_length", "visible_messages", "depth", "backlog", "waiting"}))
    return SignalRole::backlog;
  if (name == "busy")
    return SignalRole::busy;
  if (name == "capacity")
    return SignalRole::capacity;
  return SignalRole::info;
}

double loss_severity(double lost, double arrivals)
{
  if (!(lost > 0))
    return 0;
  double share = lost / std::max(arrivals, lost);
  return LOSS_FLOOR + (1 - LOSS_FLOOR) * std::min(1.0, share / RED_LOSS_SHARE);
}

double backlog_severity(double waiting) { return waiting > 0 ? waiting / (waiting + HALF_WAY_BACKLOG) : 0; }

std::string severity_colour(double severity) { return utilization_colour(severity); }

CardState card_state(const std::vector<SignalSpec>& specs, const SignalValues& values, StateScope scope, std::size_t max_facts)
{
  const bool is_run = scope == StateScope::whole_run;
  const double arrivals = value_of(values, "arrivals");
  const double capacity = value_of(values, "capacity");
  std::vector<Fact> facts;
  const auto& standard = standard_signals();
  for (std::size_t i = 0; i < specs.size(); ++i) {
    const SignalSpec& spec = specs[i];
    const double value = value_of(values, spec.name);
    const bool is_own = std::none_of(standard.begin(), standard.end(), [&](const SignalSpec& s) { return s.name == spec.name; });
    switch (signal_role(spec.name)) {
    case SignalRole::loss:
      // A type's own losses (a table's throttles, a queue's dead letters) are shown at 0 too: checked, none.
      if (value > 0 || is_own)
        facts.push_back({loss_severity(value, arrivals), i, format_number(value) + " " + words(spec.name)});
      break;
    case SignalRole::backlog:
      // A type's own backlog (a queue's visible messages) always says how deep it is; the standard
      // waiting line only when someone waits.
      if (value > 0 || is_own)
        facts.push_back({backlog_severity(value), i, (is_run ? "peak " : "") + words(spec.name) + " " + format_number(value)});
      break;
    case SignalRole::busy:
      if (!is_run && capacity > 0)
        facts.push_back({std::clamp(value / capacity, 0.0, 1.0), i, "busy " + format_number(std::round(100 * value / capacity)) + "%"});
      break;
    case SignalRole::capacity:
      if (!is_run && value > 0)
        facts.push_back({0, i, format_number(value) + " " + spec.unit + " alive"});
      break;
    case SignalRole::info:
      break;
    }
  }
  std::stable_sort(facts.begin(), facts.end(), [](const Fact& a, const Fact& b) { return a.severity > b.severity; });
  CardState state;
  for (const auto& fact : facts) {
    state.severity = std::max(state.severity, fact.severity);
    if (state.facts.size() < max_facts)
      state.facts.push_back(fact.text);
  }
  state.colour = severity_colour(state.severity);
  return state;
}

SignalValues whole_run_values(const std::vector<SignalSpec>& specs, const std::map<std::string, std::vector<double>>& series)
{
  SignalValues values;
  for (const auto& spec : specs) {
    auto it = series.find(spec.name);
    if (it == series.end() || it->second.empty())
      continue;
    std::vector<double> points;
    std::copy_if(it->second.begin(), it->second.end(), std::back_inserter(points), [](double value) { return std::isfinite(value); });
    if (points.empty())
      continue;
    values[spec.name] = spec.kind == SignalKind::counter ? std::accumulate(points.begin(), points.end(), 0.0)
                                                         : *std::max_element(points.begin(), points.end());
  }
  return values;
}

}  // namespace archlab::diagram
