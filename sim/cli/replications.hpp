// Replications of one model: each seed is an `archlab run --json` child process (one SimGrid engine
// per process, docs/simgrid-notes.md), up to `jobs` at once, gathered in seed order so that the
// answer is the same whatever -j. With a precision rule, more seeds run until the main figures are
// tight enough or the bound is reached (sim/sweep/statistics.hpp).
#pragma once

#include "sim/cli/commands.hpp"
#include "sim/cli/progress.hpp"
#include "sim/sweep/statistics.hpp"

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>

namespace archlab::cli {

struct ReplicationPlan {
  ModelOptions model;        // file, scenario, --sets; its seed is ignored (first_seed)
  std::uint64_t first_seed = 1;
  std::size_t replications = 1;  // how many, or the first batch under a precision rule
  std::optional<sweep::PrecisionRule> precision;
  int jobs = 1;
};

struct Replicated {
  std::vector<nlohmann::json> summaries;  // seed order, first_seed onwards
  sweep::FigureSamples samples;
  bool reached_precision = false;  // with a rule: it stopped because the figures were tight
};

Replicated replicate(const ReplicationPlan& plan, ProgressLine* progress = nullptr);

// Runs task(0..count-1) on up to `jobs` threads; the first exception is rethrown once all stop.
void run_parallel(std::size_t count, int jobs, const std::function<void(std::size_t)>& task);

// One replication: `archlab run` on the model with this seed, in a child process; its summary.
nlohmann::json run_replication(const ModelOptions& model, std::uint64_t seed);

// The run --replications table: each figure's mean ± half-width.
std::string replicated_table(const std::string& model_name, const ReplicationPlan& plan, const Replicated& result);
nlohmann::json replicated_json(const std::string& model_name, const ReplicationPlan& plan, const Replicated& result);

}  // namespace archlab::cli
