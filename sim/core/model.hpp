// A model: components, a run section, faults and named scenarios, read from JSON (comments allowed),
// with one scenario and any --set overrides applied, validated against the registry, defaults filled.
#pragma once

#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace archlab {

struct RunSettings {
  double duration_s = 0;            // 0: run until `requests` have been sent and answered
  std::uint64_t requests = 0;       // 0: run for duration_s
  double warmup_s = 0;
  std::uint64_t warmup_requests = 0;
  std::uint64_t seed = 1;
  double timeseries_interval_s = 10;
};

struct LoadOptions {
  std::string scenario;              // empty: the model as written
  std::vector<std::string> sets;     // "path=value", applied after the scenario
  std::int64_t seed = -1;            // >= 0 replaces run.seed
  bool checks_scenarios = true;      // false: the "scenarios" section was checked already (validate's loop)
};

struct Model {
  std::string name;
  std::string scenario;
  std::filesystem::path file;
  nlohmann::json document;           // resolved: every component has all its parameters
  RunSettings run;

  const nlohmann::json& components() const { return document.at("components"); }
  const nlohmann::json& faults() const { return document.at("faults"); }
};

// Throws InputError listing every problem found (not only the first), sorted by path. Scenarios may
// extend others at most 16 deep and apply at most 256 scenarios in all.
Model load_model(const std::filesystem::path& file, const LoadOptions& options = {});
Model model_from_json(nlohmann::json raw, const std::filesystem::path& file, const LoadOptions& options = {});

// "components.server.concurrency=4" (the "components." may be left out). The value is read as JSON
// when it parses, as a string otherwise.
void apply_override(nlohmann::json& document, const std::string& assignment);

struct ParamSpec;
std::vector<ParamSpec> run_params();       // the "run" section
std::vector<ParamSpec> scenario_params();  // one entry of "scenarios"

std::vector<std::string> scenario_names(const nlohmann::json& raw_document);

}  // namespace archlab
