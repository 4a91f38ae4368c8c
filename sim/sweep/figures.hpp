// The figures of a run's summary, as named numbers ("clients.users.latency_ms.mean"), and which of
// them a replicated run watches for its precision and a sweep plots.
#pragma once

#include "sim/sweep/statistics.hpp"

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace archlab::sweep {

// Every number of the summary by its dotted path, but the bookkeeping that is not a measurement
// (the seed, where the bill's prices come from, its line items, wall-clock times).
std::map<std::string, double> summary_figures(const nlohmann::json& summary);

// One summary per replication, in seed order → each figure's samples. A figure missing from a
// replication (a null utilisation) has fewer samples; its interval says how many.
FigureSamples collect_samples(const std::vector<nlohmann::json>& summaries);

// What --precision watches: each client's mean latency and throughput, each station's utilisation.
bool is_main_figure(const std::string& name);
// What a sweep plots: the main figures, each client's p95 and p99, and the bill.
bool is_plotted_figure(const std::string& name);

std::vector<std::string> main_figures_of(const FigureSamples& samples);

}  // namespace archlab::sweep
