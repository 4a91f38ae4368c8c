// archlab theory MODEL [--check]: the analytic prediction next to a simulation of the same model.
// With --check it exits 1 when the simulation strays from theory beyond the given tolerances, which
// is how the test suite holds the simulator to queueing theory.
#include "sim/cli/commands.hpp"
#include "sim/core/problems.hpp"
#include "sim/run/simulation.hpp"
#include "sim/theory/model_theory.hpp"

#include <cmath>
#include <cstdio>
#include <iostream>
#include <memory>
#include <tuple>
#include <unistd.h>

namespace archlab::cli {

namespace {
struct TheoryOptions {
  ModelOptions model;
  bool is_json = false;
  bool is_check = false;
  double max_response_error_pct = 3;
  double max_blocking_error_points = 0.5;
  double max_little_error_pct = 1;
};

struct Comparison {
  std::string figure;
  double theory;
  double simulated;    // NaN: the simulation does not measure it (shown for the student to compare by hand)
  double error;        // relative (%) or absolute (points), see is_points
  bool is_points;
  double tolerance;    // < 0: shown, not checked
  bool passes() const { return tolerance < 0 || std::abs(error) <= tolerance; }
};

double relative_pct(double simulated, double theory) { return theory != 0 ? (simulated - theory) / theory * 100 : 0; }

// Retries into one M/M/1 server: the good state's figures beside the run's; the tipping point and the
// overloaded state are the theory's alone (a run in the good state never visits them).
std::vector<Comparison> compare_retries(const theory::Prediction::Retries& model, const nlohmann::json& summary, const TheoryOptions& options)
{
  std::vector<Comparison> rows;
  const auto& states = model.states;
  double attempts_per_s = states.good_attempts_per_s ? *states.good_attempts_per_s : model.arrival_per_s * (model.retries + 1);
  double timed_out = states.good_attempts_per_s ? states.good_failure_probability : 1.0;
  const auto& calls = summary["clients"][model.client]["calls"][model.server];
  double attempts = calls["attempts"].get<double>(), made = calls["calls"].get<double>();
  double simulated_per_request = made > 0 ? attempts / made : 0;
  double theory_per_request = attempts_per_s / model.arrival_per_s;
  rows.push_back({"attempts per request", theory_per_request, simulated_per_request, relative_pct(simulated_per_request, theory_per_request),
                  false, options.max_response_error_pct});
  double simulated_timed_out = attempts > 0 ? calls["timed_out"].get<double>() / attempts : 0;
  rows.push_back({"attempts timed out (%)", timed_out * 100, simulated_timed_out * 100, (simulated_timed_out - timed_out) * 100, true, -1});
  const auto& server = summary["components"][model.server];
  double utilization = server["utilization"].is_null() ? 0.0 : server["utilization"].get<double>();
  double theory_utilization = std::min(1.0, attempts_per_s / model.service_per_s);
  rows.push_back({model.server + " utilization", theory_utilization, utilization, (utilization - theory_utilization) * 100, true, -1});
  if (states.tipping_attempts_per_s)
    rows.push_back({"tipping point (attempts/s)", *states.tipping_attempts_per_s, std::nan(""), 0, false, -1});
  if (states.can_stay_overloaded)
    rows.push_back({"overloaded state (attempts/s)", model.arrival_per_s * (model.retries + 1), std::nan(""), 0, false, -1});
  return rows;
}

std::vector<Comparison> compare(const theory::Prediction& prediction, const nlohmann::json& summary, const TheoryOptions& options)
{
  if (prediction.retries)
    return compare_retries(*prediction.retries, summary, options);
  std::vector<Comparison> rows;
  double sent = 0, rejected = 0, weighted_latency_ms = 0, completed = 0;
  for (auto& [id, client] : summary["clients"].items()) {
    sent += client["sent"].get<double>();
    rejected += client["rejected"].get<double>();
    completed += client["completed"].get<double>();
    weighted_latency_ms += client["latency_ms"]["mean"].get<double>() * client["completed"].get<double>();
  }
  double simulated_response_ms = completed > 0 ? weighted_latency_ms / completed : 0;
  rows.push_back({"mean response (ms)", prediction.mean_response_s * 1e3, simulated_response_ms,
                  relative_pct(simulated_response_ms, prediction.mean_response_s * 1e3), false, options.max_response_error_pct});
  // A client's percentiles are of its own requests: with one client they are the model's.
  if (prediction.response_p99_s > 0 && summary["clients"].size() == 1) {
    const auto& latency = summary["clients"].begin().value()["latency_ms"];
    for (auto [name, key, value_s] : {std::tuple{"p95 response (ms)", "p95", prediction.response_p95_s},
                                      std::tuple{"p99 response (ms)", "p99", prediction.response_p99_s}}) {
      double simulated = latency[key].get<double>();
      rows.push_back({name, value_s * 1e3, simulated, relative_pct(simulated, value_s * 1e3), false, -1});
    }
  }
  if (prediction.blocking_probability > 0 || rejected > 0) {
    double blocking = sent > 0 ? rejected / sent : 0;
    rows.push_back({"blocking probability (%)", prediction.blocking_probability * 100, blocking * 100,
                    (blocking - prediction.blocking_probability) * 100, true, options.max_blocking_error_points});
  }
  for (const auto& station : prediction.stations) {
    const auto& simulated = summary["components"][station.id];
    double utilization = simulated["utilization"].is_null() ? 0.0 : simulated["utilization"].get<double>();
    rows.push_back({station.id + " utilization", station.figures.utilization, utilization,
                    (utilization - station.figures.utilization) * 100, true, -1});
    double in_system = simulated["in_system_mean"].get<double>();
    rows.push_back({station.id + " mean in system", station.figures.mean_in_system, in_system,
                    relative_pct(in_system, station.figures.mean_in_system), false, -1});
    // Wq by Little's law on the waiting line: Lq over the accepted throughput
    double throughput = simulated["throughput_per_s"].get<double>();
    double wait_ms = throughput > 0 ? simulated["queue_length_mean"].get<double>() / throughput * 1e3 : 0;
    rows.push_back({station.id + " mean wait Wq (ms)", station.figures.mean_wait_s * 1e3, wait_ms,
                    relative_pct(wait_ms, station.figures.mean_wait_s * 1e3), false, -1});
    double waited = simulated.contains("wait_probability") ? simulated["wait_probability"].get<double>() : std::nan("");
    rows.push_back({station.id + " P(wait) (%)", station.figures.wait_probability * 100, waited * 100,
                    (waited - station.figures.wait_probability) * 100, true, -1});
    // Little's law inside the simulation: L = throughput × W for each station
    double little = simulated["throughput_per_s"].get<double>() * simulated["latency_ms"]["mean"].get<double>() * 1e-3;
    rows.push_back({station.id + " Little's law L vs XW", little, in_system, relative_pct(in_system, little), false, options.max_little_error_pct});
  }
  return rows;
}

void print_text(const Model& model, const theory::Prediction& prediction, const std::vector<Comparison>& rows)
{
  std::printf("%s: %s, seed %llu\n\n", model.name.c_str(), prediction.network.c_str(), static_cast<unsigned long long>(model.run.seed));
  std::printf("%-36s %12s %12s %10s  %s\n", "figure", "theory", "simulated", "error", "check");
  for (const auto& row : rows) {
    char error[32];
    std::snprintf(error, sizeof error, row.is_points ? "%+.2f pt" : "%+.2f%%", row.error);
    if (std::isnan(row.simulated)) {
      std::printf("%-36s %12.5g %12s %10s  %s\n", row.figure.c_str(), row.theory, "-", "", "(not measured by the run)");
      continue;
    }
    std::string check = row.tolerance < 0 ? "" : (row.passes() ? "ok" : "OUT") + std::string(" (±") + std::to_string(row.tolerance).substr(0, 4) + (row.is_points ? " pt)" : "%)");
    std::printf("%-36s %12.5g %12.5g %10s  %s\n", row.figure.c_str(), row.theory, row.simulated, error, check.c_str());
  }
}

int run_theory(const TheoryOptions& options)
{
  Model model = load_model_from(options.model);
  if (!model.faults().empty())
    throw InputError("faults", "not a model queueing theory solves here: faults break the steady state");
  auto prediction = theory::predict(model.components(), model.file.parent_path().string());
  SimulationOptions simulation;
  simulation.shows_progress = isatty(STDERR_FILENO);  // a terminal sees it move; a pipe or log gets nothing
  auto result = simulate(model, simulation);
  auto rows = compare(prediction, result.summary, options);
  bool all_pass = true;
  for (const auto& row : rows)
    all_pass = all_pass && row.passes();
  if (options.is_json) {
    nlohmann::json out = {{"model", model.name}, {"network", prediction.network}, {"seed", model.run.seed}, {"passes", all_pass}};
    for (const auto& row : rows)
      out["figures"].push_back({{"figure", row.figure}, {"theory", row.theory},
                                {"simulated", std::isnan(row.simulated) ? nlohmann::json(nullptr) : nlohmann::json(row.simulated)},
                                {"error", std::isnan(row.simulated) ? nlohmann::json(nullptr) : nlohmann::json(row.error)},
                                {"error_unit", row.is_points ? "points" : "percent"}, {"tolerance", row.tolerance}, {"passes", row.passes()}});
    std::cout << out.dump(2) << "\n";
  } else {
    print_text(model, prediction, rows);
  }
  return options.is_check && !all_pass ? 1 : 0;
}
}  // namespace

void setup_theory_command(CLI::App& app)
{
  auto options = std::make_shared<TheoryOptions>();
  auto* command = app.add_subcommand("theory", "compare a simulation with queueing theory (M/M/c, M/D/1, M/G/1, M/M/c/K, Jackson, "
                                                "retries into M/M/1)");
  add_model_options(*command, options->model);
  command->add_flag("--json", options->is_json, "print the comparison as JSON");
  command->add_flag("--check", options->is_check, "exit 1 if a checked figure is outside its tolerance");
  command->add_option("--max-response-error-pct", options->max_response_error_pct, "tolerance on the mean response time")->capture_default_str();
  command->add_option("--max-blocking-error-points", options->max_blocking_error_points, "tolerance on the blocking probability")->capture_default_str();
  command->add_option("--max-little-error-pct", options->max_little_error_pct, "tolerance on Little's law per station")->capture_default_str();
  command->callback([options] {
    if (int status = run_theory(*options); status != 0)
      throw CLI::RuntimeError(status);
  });
}

}  // namespace archlab::cli
