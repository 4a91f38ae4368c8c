// Runs one model to its end. Owns the SimGrid engine: one simulation per process, because an
// engine's clock survives it (docs/simgrid-notes.md §2).
#pragma once

#include "sim/core/model.hpp"

#include <nlohmann/json.hpp>
#include <cstdint>
#include <string>
#include <vector>

namespace archlab {

struct SimulationOptions {
  bool keeps_timeseries = false;
  bool shows_progress = false;  // a progress line on stderr, for runs longer than a second
  std::string events_path;      // when set, every event line is streamed to this file
};

struct SimulationResult {
  nlohmann::json summary;          // deterministic: same model and seed, same bytes
  nlohmann::json wall_clock;       // how long it took: kept apart because it is not deterministic
  std::string timeseries_csv;
  std::string signals_csv;         // every declared signal, long format (sim/report/signal_series.hpp)
  std::vector<std::string> events;  // the first EventLog::kept_lines lines: a short view
  std::uint64_t events_total = 0;
};

SimulationResult simulate(const Model& model, const SimulationOptions& options);

}  // namespace archlab
