#include "sim/report/summary.hpp"

#include "sim/core/world.hpp"
#include "sim/jobs/job_ledger.hpp"
#include "sim/report/cost.hpp"

#include <cstdio>
#include <sstream>

namespace archlab {

nlohmann::json latency_figures_ms(const Histogram& latency, bool is_detailed)
{
  nlohmann::json figures = {{"mean", latency.mean() * 1e3}, {"p50", latency.percentile(0.50) * 1e3}};
  if (is_detailed) {
    figures["p90"] = latency.percentile(0.90) * 1e3;
    figures["p95"] = latency.percentile(0.95) * 1e3;
  }
  figures["p99"] = latency.percentile(0.99) * 1e3;
  figures["max"] = latency.max() * 1e3;
  return figures;
}

nlohmann::json build_summary(World& world, double end_s)
{
  const auto& model = world.model();
  double from_s = world.control().measured_from_s();
  double window_s = end_s - from_s;
  nlohmann::json summary = {{"model", model.name}, {"scenario", model.scenario.empty() ? nlohmann::json() : nlohmann::json(model.scenario)},
                            {"seed", model.run.seed}, {"sim_time_s", end_s}, {"measured_from_s", from_s}};
  nlohmann::json clients = nlohmann::json::object();
  nlohmann::json components = nlohmann::json::object();
  for (auto& component : world.components()) {
    const auto& stats = component->stats();
    const auto& counts = stats.counts();
    double throughput = window_s > 0 ? static_cast<double>(counts.completed) / window_s : 0.0;
    if (component->type() == "client") {
      nlohmann::json client = {{"sent", counts.arrivals},   {"completed", counts.completed}, {"rejected", counts.rejected},
                               {"failed", counts.failed},   {"in_flight_at_end", stats.busy.level()},
                               // the error budget's figures: every request the user saw fail, however it failed
                               {"errors", counts.rejected + counts.failed},
                               {"error_rate", counts.arrivals > 0 ? static_cast<double>(counts.rejected + counts.failed) / counts.arrivals : 0.0},
                               {"throughput_per_s", throughput}, {"latency_ms", latency_figures_ms(stats.latency(), true)}};
      component->add_summary(client, end_s);
      clients[component->id()] = client;
      continue;
    }
    nlohmann::json figures = {{"type", component->type()},
                              {"utilization", stats.capacity.lifetime_area_until(end_s) > 0 ? nlohmann::json(stats.utilization(end_s)) : nlohmann::json()},
                              {"queue_length_mean", stats.mean_waiting(end_s)},
                              {"in_system_mean", stats.mean_in_system(end_s)},
                              {"arrivals", counts.arrivals},
                              {"requests", counts.arrivals},
                              {"completed", counts.completed},
                              {"rejected", counts.rejected},
                              {"failed", counts.failed},
                              {"throughput_per_s", throughput},
                              {"latency_ms", latency_figures_ms(stats.latency(), false)}};
    component->add_summary(figures, end_s);
    if (!component->call_sites().empty())
      figures["calls"] = component->call_sites().summary();
    components[component->id()] = figures;
  }
  summary["clients"] = clients;
  summary["components"] = components;
  if (const auto* jobs = world.find_side_table<JobLedger>(); jobs && jobs->has_jobs())
    summary["jobs"] = jobs->summary(window_s);
  std::vector<Component*> all;
  for (auto& component : world.components())
    all.push_back(component.get());
  summary["cost_usd"] = cost_summary(all, end_s);
  return summary;
}

namespace {
std::string cell(double value, const char* format = "%.4g")
{
  char text[64];
  std::snprintf(text, sizeof text, format, value);
  return text;
}

std::string padded(const std::string& text, std::size_t width, bool left = false)
{
  if (text.size() >= width)
    return text;
  return left ? text + std::string(width - text.size(), ' ') : std::string(width - text.size(), ' ') + text;
}

void row(std::ostringstream& out, const std::vector<std::string>& cells, const std::vector<std::size_t>& widths)
{
  for (std::size_t i = 0; i < cells.size(); ++i)
    out << padded(cells[i], widths[i], i == 0) << (i + 1 < cells.size() ? "  " : "\n");
}
}  // namespace

std::string summary_table(const nlohmann::json& summary)
{
  std::ostringstream out;
  out << "model " << summary["model"].get<std::string>();
  if (!summary["scenario"].is_null())
    out << ", scenario " << summary["scenario"].get<std::string>();
  out << ", seed " << summary["seed"] << ": " << cell(summary["sim_time_s"].get<double>()) << " s simulated, measured from "
      << cell(summary["measured_from_s"].get<double>()) << " s\n\n";

  std::vector<std::size_t> widths = {14, 9, 9, 8, 8, 10, 9, 9, 9, 9, 9};
  row(out, {"client", "sent", "done", "rejected", "failed", "per s", "mean ms", "p50 ms", "p95 ms", "p99 ms", "max ms"}, widths);
  for (auto& [id, client] : summary["clients"].items()) {
    const auto& latency = client["latency_ms"];
    row(out, {id, std::to_string(client["sent"].get<std::uint64_t>()), std::to_string(client["completed"].get<std::uint64_t>()),
              std::to_string(client["rejected"].get<std::uint64_t>()), std::to_string(client["failed"].get<std::uint64_t>()),
              cell(client["throughput_per_s"].get<double>()), cell(latency["mean"].get<double>()), cell(latency["p50"].get<double>()),
              cell(latency["p95"].get<double>()), cell(latency["p99"].get<double>()), cell(latency["max"].get<double>())},
        widths);
  }
  out << "\n";
  widths = {14, 14, 8, 9, 9, 9, 9, 8, 10, 9, 9};
  row(out, {"component", "type", "util", "queue", "in sys", "done", "rejected", "failed", "per s", "mean ms", "p99 ms"}, widths);
  for (auto& [id, component] : summary["components"].items()) {
    const auto& latency = component["latency_ms"];
    const auto& utilization = component["utilization"];
    row(out, {id, component["type"].get<std::string>(), utilization.is_null() ? "-" : cell(utilization.get<double>() * 100, "%.1f%%"),
              cell(component["queue_length_mean"].get<double>()), cell(component["in_system_mean"].get<double>()),
              std::to_string(component["completed"].get<std::uint64_t>()), std::to_string(component["rejected"].get<std::uint64_t>()),
              std::to_string(component["failed"].get<std::uint64_t>()), cell(component["throughput_per_s"].get<double>()),
              cell(latency["mean"].get<double>()), cell(latency["p99"].get<double>())},
        widths);
  }
  if (summary.contains("jobs")) {
    const auto& jobs = summary["jobs"];
    auto seconds = [](const nlohmann::json& value) { return value.is_null() ? std::string("-") : cell(value.get<double>()); };
    out << "\njobs: " << jobs["submitted"] << " submitted, " << jobs["completed"] << " completed, " << jobs["failed"] << " failed, "
        << jobs["dead_lettered"] << " dead-lettered, " << jobs["unfinished"] << " unfinished, " << jobs["executed_more_than_once"]
        << " executed more than once, " << jobs.value("outputs_written_more_than_once", 0) << " with outputs written more than once; " << cell(jobs["throughput_per_s"].get<double>()) << " per s; latency p50 "
        << seconds(jobs["latency_s"]["p50"]) << " s, p99 " << seconds(jobs["latency_s"]["p99"]) << " s\n";
  }
  const auto& cost = summary["cost_usd"];
  if (cost["total"].get<double>() > 0)
    out << "\ncost: $" << cell(cost["total"].get<double>()) << " for the run ($" << cell(cost["per_hour"].get<double>())
        << " per hour), us-east-1 prices as of " << cost["prices"]["as_of"].get<std::string>() << "\n";
  return out.str();
}

}  // namespace archlab
