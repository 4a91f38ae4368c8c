#include "sim/webreport/report_data.hpp"

#include "sim/core/fault_plan.hpp"
#include "sim/core/problems.hpp"
#include "sim/core/registry.hpp"
#include "sim/diagram/signal_state.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <set>

namespace archlab::webreport {

namespace {

using diagram::EventKind;

bool lasts(const std::string& action)
{
  static const std::set<std::string> lasting = {"kill", "hang", "slow", "fail", "zone_outage"};
  return lasting.contains(action);
}

std::string fault_label(const FaultEvent& event)
{
  // Appended piece by piece: GCC 12 warns (-Wrestrict, falsely) about "text" + std::string here.
  std::string label = event.action;
  label += ' ';
  label += event.target.empty() ? event.zone : event.target;
  if (event.instance >= 0)
    label.append("#").append(std::to_string(event.instance));
  if (!event.step.empty())
    label.append(" at ").append(event.step);
  return label;
}

// Characters, not bytes: "→" and "⚠" are one each on a card.
std::size_t text_width(const std::string& text)
{
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

// A zone outage is about every component placed in that zone.
bool is_about(const FaultWindow& window, const std::string& id, const nlohmann::json& params)
{
  if (!window.target.empty())
    return window.target == id;
  const std::string& zone = window.zone;
  if (zone.empty())
    return false;
  if (params.value("zone", "") == zone)
    return true;
  const auto& zones = params.contains("zones") ? params.at("zones") : nlohmann::json::array();
  return zones.is_array() && std::find(zones.begin(), zones.end(), zone) != zones.end();
}

bool overlaps(const FaultWindow& window, const std::vector<double>& times_s, std::size_t interval)
{
  if (window.is_instant)
    return interval_of(times_s, window.start_s) == interval;
  const double from_s = interval == 0 ? 0 : times_s[interval - 1];
  return window.start_s <= times_s[interval] && window.end_s > from_s;
}

nlohmann::json signal_values(const std::vector<double>& values)
{
  nlohmann::json list = nlohmann::json::array();
  for (double value : values)
    list.push_back(std::isfinite(value) ? nlohmann::json(value) : nlohmann::json());
  return list;
}

struct KeptEvents {
  nlohmann::json rows = nlohmann::json::array();
  nlohmann::json scaling = nlohmann::json::array();
  std::map<std::string, std::map<std::size_t, std::vector<std::string>>> marks;  // component → interval → scaling marks
  std::size_t seen = 0;
  std::size_t left_out = 0;
};

KeptEvents read_events(std::istream& log, const std::vector<double>& times_s, const std::vector<std::string>& ids)
{
  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < ids.size(); ++i)
    index[ids[i]] = i;
  std::map<EventKind, std::size_t> kind_index;
  for (std::size_t i = 0; i < std::size(diagram::all_event_kinds); ++i)
    kind_index[diagram::all_event_kinds[i]] = i;
  KeptEvents kept;
  EventSelection selection(times_s);
  for (std::string line; std::getline(log, line);) {
    auto event = diagram::parse_event_line(line);
    if (!event)
      continue;
    const EventKind kind = diagram::event_kind(event->text);
    if (kind == EventKind::scaling)
      if (auto mark = scaling_mark(event->text); !mark.empty()) {
        kept.scaling.push_back({{"time_s", event->time_s}, {"component", event->source}, {"mark", mark}});
        kept.marks[event->source][interval_of(times_s, event->time_s)].push_back("↕ " + mark);
      }
    if (!selection.keep(*event, kind))
      continue;
    nlohmann::json about = nlohmann::json::array();
    std::set<std::size_t> about_set;
    if (index.contains(event->source))
      about_set.insert(index.at(event->source));
    for (const auto& [name, instance] : diagram::names_in_event(event->text))
      if (index.contains(name))
        about_set.insert(index.at(name));
    for (auto i : about_set)
      about.push_back(i);
    kept.rows.push_back({event->time_s, event->source, kind_index.at(kind), event->text, about});
  }
  kept.seen = selection.seen();
  kept.left_out = selection.left_out();
  return kept;
}

}  // namespace

std::size_t interval_of(const std::vector<double>& times_s, double time_s)
{
  if (times_s.empty())
    return 0;
  auto at = static_cast<std::size_t>(std::lower_bound(times_s.begin(), times_s.end(), time_s) - times_s.begin());
  return std::min(at, times_s.size() - 1);
}

std::vector<FaultWindow> fault_windows(const nlohmann::json& faults, double run_end_s)
{
  std::vector<FaultWindow> windows;
  std::vector<std::pair<FaultEvent, std::size_t>> open;  // a lasting fault and its window
  for (const FaultEvent& event : fault_timeline(faults)) {
    if (event.action == "recover") {
      std::erase_if(open, [&](const auto& entry) {
        const FaultEvent& fault = entry.first;
        bool matches = fault.target == event.target && fault.zone == event.zone && (event.instance < 0 || fault.instance == event.instance);
        if (matches)
          windows[entry.second].end_s = event.at_s;
        return matches;
      });
      continue;
    }
    FaultWindow window{event.at_s, event.at_s, event.target, event.zone, fault_label(event), !lasts(event.action)};
    if (!window.is_instant) {
      window.end_s = run_end_s;
      open.emplace_back(event, windows.size());
    }
    windows.push_back(window);
  }
  return windows;
}

bool EventSelection::keep(const diagram::EventLine& event, EventKind kind)
{
  ++seen_;
  bool is_kept;
  if (diagram::is_routine(kind))
    is_kept = ++routine_kept_[{event.source, interval_of(times_s_, event.time_s)}] <= ROUTINE_EVENTS_PER_INTERVAL;
  else
    is_kept = ++notable_kept_ <= MAX_NOTABLE_EVENTS;
  if (!is_kept)
    ++left_out_;
  return is_kept;
}

std::string scaling_mark(const std::string& text)
{
  if (text.rfind("scale-", 0) != 0)
    return "";
  std::string mark = text.substr(0, text.find(':'));
  if (auto desired = text.find("desired "); desired != std::string::npos) {
    auto end = text.find(',', desired);
    mark += ' ';
    mark += text.substr(desired + 8, end == std::string::npos ? std::string::npos : end - desired - 8);
  }
  return mark;
}

nlohmann::json report_data(const ReportInputs& inputs)
{
  const auto& components = inputs.model_document.at("components");
  const auto& times_s = inputs.signals.times_s;
  const double run_end_s = inputs.summary.value("sim_time_s", times_s.empty() ? 0.0 : times_s.back());
  for (const auto& [id, series] : inputs.signals.series)
    if (!components.contains(id))
      throw InputError("signals.csv", "names the component '" + id + "', which the run's model lacks: the files are of different runs");
  std::vector<std::string> ids;
  for (const auto& [id, params] : components.items())
    ids.push_back(id);
  const auto windows = fault_windows(inputs.model_document.value("faults", nlohmann::json::array()), run_end_s);
  KeptEvents events = read_events(inputs.events_log, times_s, ids);

  nlohmann::json list = nlohmann::json::array();
  for (const auto& id : ids) {
    const auto& params = components.at(id);
    const std::string type_name = params.value("type", "");
    const ComponentType* type = find_component_type(type_name);
    const std::vector<SignalSpec> specs = type ? type->all_signals() : std::vector<SignalSpec>{};
    const auto* series = inputs.signals.find(id);
    nlohmann::json signals = nlohmann::json::array(), colours = nlohmann::json::array(), facts = nlohmann::json::array(),
                   flagged = nlohmann::json::array();
    for (const auto& spec : specs)
      if (series && series->contains(spec.name))
        signals.push_back({{"name", spec.name}, {"unit", spec.unit}, {"kind", signal_kind_name(spec.kind)}, {"meaning", spec.meaning},
                           {"values", signal_values(series->at(spec.name))}});
    for (std::size_t i = 0; i < times_s.size(); ++i) {
      diagram::SignalValues values;
      if (series)
        for (const auto& [name, points] : *series)
          values[name] = points[i];
      auto state = diagram::card_state(specs, values);
      std::vector<std::string> lines;
      bool is_flagged = false;
      for (const auto& window : windows)
        if (is_about(window, id, params) && overlaps(window, times_s, i)) {
          lines.push_back("⚠ " + window.label);
          is_flagged = true;
        }
      if (events.marks.contains(id) && events.marks.at(id).contains(i))
        for (const auto& mark : events.marks.at(id).at(i))
          lines.push_back(mark);
      lines.insert(lines.end(), state.facts.begin(), state.facts.end());
      if (lines.size() > MAX_CARD_LINES)
        lines.resize(MAX_CARD_LINES);
      colours.push_back(state.colour);
      facts.push_back(lines);
      flagged.push_back(is_flagged ? 1 : 0);
    }
    list.push_back({{"id", id}, {"type", type_name}, {"label", params.value("label", "")}, {"signals", signals},
                    {"colours", colours}, {"facts", facts}, {"flagged", flagged}});
  }

  nlohmann::json faults = nlohmann::json::array();
  for (const auto& window : windows)
    faults.push_back({{"start_s", window.start_s}, {"end_s", window.end_s}, {"target", window.target}, {"label", window.label},
                      {"instant", window.is_instant}});
  nlohmann::json kinds = nlohmann::json::array();
  for (EventKind kind : diagram::all_event_kinds)
    kinds.push_back(diagram::event_kind_name(kind));
  nlohmann::json summary = inputs.summary;
  summary.erase("wall_clock");  // how long the run took on this machine: no figure of the model
  const std::string scenario = inputs.summary.value("scenario", nlohmann::json()).is_string() ? inputs.summary.at("scenario").get<std::string>() : "";
  const std::string model = inputs.model_document.value("name", "");
  return {{"title", model + (scenario.empty() ? "" : " — scenario " + scenario)},
          {"model", model},
          {"description", inputs.model_document.value("description", "")},
          {"scenario", scenario},
          {"seed", inputs.summary.value("seed", nlohmann::json())},
          {"duration_s", run_end_s},
          {"times_s", times_s},
          {"components", list},
          {"faults", faults},
          {"scaling", events.scaling},
          {"events", {{"kinds", kinds}, {"components", ids}, {"rows", events.rows}, {"seen", events.seen}, {"left_out", events.left_out}}},
          {"summary", summary}};
}

std::map<std::string, std::vector<std::string>> state_placeholders(const nlohmann::json& data)
{
  std::map<std::string, std::vector<std::string>> placeholders;
  for (const auto& component : data.at("components")) {
    std::size_t lines = 1, width = 12;
    for (const auto& interval : component.at("facts")) {
      lines = std::max(lines, interval.size());
      for (const auto& line : interval)
        width = std::max(width, text_width(line.get<std::string>()));
    }
    // Figures are drawn in a proportional font: a few characters spare keep the widest line inside.
    placeholders[component.at("id").get<std::string>()] = std::vector<std::string>(lines, std::string(width + 2, 'n'));
  }
  return placeholders;
}

}  // namespace archlab::webreport
