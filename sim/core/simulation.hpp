// Runs one model to its end. Owns the SimGrid engine: one simulation per process, because an
// engine's clock survives it (docs/simgrid-notes.md §2).
#pragma once

#include "sim/core/model.hpp"

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace archlab {

struct SimulationOptions {
  bool keeps_timeseries = false;
  bool shows_progress = false;  // a progress line on stderr, for runs longer than a second
};

struct SimulationResult {
  nlohmann::json summary;          // deterministic: same model and seed, same bytes
  nlohmann::json wall_clock;       // how long it took: kept apart because it is not deterministic
  std::string timeseries_csv;
  std::vector<std::string> events;
};

SimulationResult simulate(const Model& model, const SimulationOptions& options);

}  // namespace archlab
