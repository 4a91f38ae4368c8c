// The figures of one run (a folder written by `archlab run MODEL --out DIR`) that a diagram shows:
// utilization per component, throughput and p99, fault events, and the instance range of a group.
#pragma once

#include "sim/diagram/signal_state.hpp"
#include "sim/diagram/signal_table.hpp"

#include <filesystem>
#include <istream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>

namespace archlab::diagram {

struct ComponentFigures {
  std::optional<double> utilization;       // 0..1, over the measured part of the run
  std::optional<double> peak_utilization;  // the busiest interval of timeseries.csv
  std::optional<double> throughput_per_s;
  std::optional<double> p99_ms;
  std::optional<double> failed_share;      // (rejected + failed) / arrivals, or / sent for a client
  int fault_events = 0;                    // events.log lines about a fault of it or what one caused
  std::map<int, int> fault_events_by_instance;  // those naming one instance ("api#1 killed"): index → lines
  std::optional<int> instances_min;        // when the summary gives a range (autoscaled groups)
  std::optional<int> instances_max;
  bool is_client = false;
  std::string type;                        // from the summary; "" for a client
  std::optional<CardState> signal_state;   // over the whole run, from signals.csv when there is one
};

struct RunFigures {
  std::string model;
  std::map<std::string, ComponentFigures> by_component;

  const ComponentFigures* find(const std::string& id) const;
};

// Reads summary.json (required), timeseries.csv, signals.csv and events.log (all optional) and checks that the run
// is of this model: no component the model lacks, and (unless the model names agree) every component of
// the model. Throws InputError(path, message) on anything wrong.
RunFigures read_run_folder(const std::filesystem::path& folder, const std::string& model_name,
                           const std::set<std::string>& model_ids);

// The pure parts, for tests. figures_from_summary throws InputError on a summary of the wrong shape.
RunFigures figures_from_summary(const nlohmann::json& summary, const std::string& origin);
void add_peak_utilization(RunFigures& figures, std::istream& timeseries_csv);
void add_fault_events(RunFigures& figures, std::istream& events_log);
// Each component's state over the run from the signals its type declares (signal_state.hpp).
void add_signal_states(RunFigures& figures, const SignalTable& signals);

}  // namespace archlab::diagram
