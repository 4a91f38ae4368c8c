// The run's summary: per client (end-to-end) and per component, over the measured window
// (after the warm-up). The same JSON feeds --json, summary.json and the terminal table.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace archlab {

class World;

nlohmann::json build_summary(World& world, double end_s);
std::string summary_table(const nlohmann::json& summary);  // readable text for the terminal
nlohmann::json latency_figures_ms(const class Histogram& latency, bool is_detailed);

}  // namespace archlab
