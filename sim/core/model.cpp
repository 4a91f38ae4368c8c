#include "sim/core/model.hpp"

#include "sim/core/json_io.hpp"
#include "sim/core/model_checks.hpp"
#include "sim/core/problems.hpp"
#include "sim/core/registry.hpp"
#include "sim/faults/fault_plan.hpp"

#include <algorithm>

namespace archlab {

std::vector<ParamSpec> run_params()
{
  return {
      number_param("duration_s", "s", nullptr, "simulated time to run (give this or requests)").above(0),
      integer_param("requests", nullptr, "requests to send in all, then wait for their answers (give this or duration_s)").at_least(1),
      number_param("warmup_s", "s", 0, "simulated time left out of the figures").at_least(0),
      integer_param("warmup_requests", 0, "first requests left out of the figures").at_least(0),
      integer_param("seed", 1, "seed of every random stream; same seed, same results").at_least(0),
      number_param("timeseries_interval_s", "s", 10, "width of one row of timeseries.csv").above(0),
  };
}

std::vector<ParamSpec> scenario_params()
{
  return {
      text_param("description", "what this scenario shows"),
      text_list_param("extends", "scenarios applied first, in order (a remedy's scenario extends the failure's)"),
      free_object_param("set", "path → value overrides, as with --set"),
      object_list_param("faults", fault_params(), "faults added to the model's own"),
  };
}

namespace {
const std::vector<std::string>& top_level_keys()
{
  static const std::vector<std::string> keys = {"name", "description", "components", "run", "faults", "scenarios"};
  return keys;
}

void set_at_path(nlohmann::json& document, const std::string& path, nlohmann::json value)
{
  nlohmann::json* node = &document;
  std::size_t start = 0;
  std::string walked;
  while (true) {
    auto dot = path.find('.', start);
    auto key = path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (key.empty())
      throw InputError("--set " + path, "empty segment in the path");
    walked = join_path(walked, key);
    bool is_last = dot == std::string::npos;
    if (node->is_array()) {
      std::size_t index = 0;
      try {
        index = std::stoul(key);
      } catch (const std::exception&) {
        throw InputError("--set " + path, walked + " indexes a list: use a number");
      }
      if (index >= node->size())
        throw InputError("--set " + path, walked + " is past the end of a list of " + std::to_string(node->size()));
      node = &(*node)[index];
    } else {
      if (node->is_null())
        *node = nlohmann::json::object();
      if (!node->is_object())
        throw InputError("--set " + path, "cannot set " + walked + " inside a value that is not an object");
      node = &(*node)[key];
    }
    if (is_last) {
      *node = std::move(value);
      return;
    }
    start = dot + 1;
  }
}

void apply_scenario(nlohmann::json& document, const std::string& name, std::vector<std::string> applying = {})
{
  if (std::find(applying.begin(), applying.end(), name) != applying.end())
    throw InputError(join_path("scenarios", applying.back()) + ".extends", "scenario '" + name + "' extends itself, through " + applying.front());
  applying.push_back(name);
  const auto& scenarios = document.contains("scenarios") ? document.at("scenarios") : nlohmann::json::object();
  if (!scenarios.is_object() || !scenarios.contains(name)) {
    std::string list;
    for (auto& known : scenario_names(document))
      list += (list.empty() ? "" : ", ") + known;
    throw InputError("--scenario", "no scenario named '" + name + "'" + (list.empty() ? " (this model has none)" : " (known: " + list + ")"));
  }
  auto scenario = scenarios.at(name);
  if (scenario.is_object() && scenario.contains("extends") && scenario.at("extends").is_array())
    for (const auto& base : scenario.at("extends")) {
      if (!base.is_string() || !scenarios.contains(base.get<std::string>()))
        throw InputError(join_path(join_path("scenarios", name), "extends"), "names no scenario of this model: " + base.dump());
      apply_scenario(document, base.get<std::string>(), applying);
    }
  if (scenario.is_object() && scenario.contains("set") && scenario.at("set").is_object())
    for (auto& [path, value] : scenario.at("set").items())
      apply_override(document, path + "=" + value.dump());
  if (scenario.is_object() && scenario.contains("faults") && scenario.at("faults").is_array()) {
    if (!document.contains("faults"))
      document["faults"] = nlohmann::json::array();
    for (auto& fault : scenario.at("faults"))
      document["faults"].push_back(fault);
  }
}

nlohmann::json validate_components(const nlohmann::json& components, ValidationContext& context)
{
  nlohmann::json resolved = nlohmann::json::object();
  std::vector<std::string> type_names;
  for (const auto& type : component_types())
    type_names.push_back(type.name);
  for (auto& [id, spec] : components.items()) {
    auto path = join_path("components", id);
    if (!spec.is_object() || !spec.contains("type") || !spec.at("type").is_string()) {
      context.problems.push_back({join_path(path, "type"), "is required: one of the types `archlab explain` lists"});
      continue;
    }
    auto type_name = spec.at("type").get<std::string>();
    const auto* type = find_component_type(type_name);
    if (!type) {
      auto hint = closest_name(type_name, type_names);
      context.problems.push_back({join_path(path, "type"), "unknown component type '" + type_name + "'" + (hint.empty() ? "" : " (did you mean '" + hint + "'?)")});
      continue;
    }
    auto params = common_component_params();
    params.insert(params.end(), type->params.begin(), type->params.end());
    std::size_t problems_before = context.problems.size();
    resolved[id] = validate_fields(spec, params, path, context);
    if (type->check && context.problems.size() == problems_before)
      type->check(resolved[id], path, context.problems);
  }
  return resolved;
}

RunSettings read_run(const nlohmann::json& run, std::vector<Problem>& problems)
{
  RunSettings settings;
  settings.duration_s = run.value("duration_s", 0.0);
  settings.requests = run.value("requests", std::uint64_t{0});
  settings.warmup_s = run.value("warmup_s", 0.0);
  settings.warmup_requests = run.value("warmup_requests", std::uint64_t{0});
  settings.seed = run.value("seed", std::uint64_t{1});
  settings.timeseries_interval_s = run.value("timeseries_interval_s", 10.0);
  if ((settings.duration_s > 0) == (settings.requests > 0))
    problems.push_back({"run", "give exactly one of duration_s (simulated seconds) or requests (how many to send)"});
  if (settings.requests > 0 && settings.warmup_requests >= settings.requests)
    problems.push_back({"run.warmup_requests", "must be less than run.requests"});
  if (settings.duration_s > 0 && settings.warmup_s >= settings.duration_s)
    problems.push_back({"run.warmup_s", "must be less than run.duration_s"});
  return settings;
}
}  // namespace

std::vector<std::string> scenario_names(const nlohmann::json& raw_document)
{
  std::vector<std::string> names;
  if (raw_document.contains("scenarios") && raw_document.at("scenarios").is_object())
    for (auto& [name, scenario] : raw_document.at("scenarios").items())
      names.push_back(name);
  return names;
}

void apply_override(nlohmann::json& document, const std::string& assignment)
{
  auto equals = assignment.find('=');
  if (equals == std::string::npos || equals == 0)
    throw InputError("--set " + assignment, "expected path=value, e.g. components.server.concurrency=4");
  auto path = assignment.substr(0, equals);
  auto text = assignment.substr(equals + 1);
  auto first = path.substr(0, path.find('.'));
  bool is_top_level = std::count(top_level_keys().begin(), top_level_keys().end(), first) > 0;
  if (!is_top_level && document.contains("components") && document["components"].contains(first))
    path = "components." + path;
  else if (!is_top_level)
    throw InputError("--set " + assignment, "'" + first + "' is neither a top-level key (components, run, faults, ...) nor a component id");
  nlohmann::json value;
  try {
    value = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error&) {
    value = text;  // a bare word such as round_robin
  }
  set_at_path(document, path, std::move(value));
}

Model model_from_json(nlohmann::json raw, const std::filesystem::path& file, const LoadOptions& options)
{
  if (!raw.is_object())
    throw InputError(file.string(), "a model must be a JSON object with \"components\" and \"run\"");
  if (!options.scenario.empty())
    apply_scenario(raw, options.scenario);
  for (const auto& assignment : options.sets)
    apply_override(raw, assignment);
  if (options.seed >= 0)
    raw["run"]["seed"] = options.seed;

  ValidationContext context;
  context.model_dir = file.parent_path();
  for (auto& [key, value] : raw.items())
    if (!std::count(top_level_keys().begin(), top_level_keys().end(), key)) {
      auto hint = closest_name(key, top_level_keys());
      context.problems.push_back({key, "unknown top-level key" + (hint.empty() ? "" : " (did you mean '" + hint + "'?)")});
    }
  if (!raw.contains("components") || !raw.at("components").is_object() || raw.at("components").empty())
    context.problems.push_back({"components", "is required: an object of component id → {\"type\": ..., parameters}"});
  else
    for (auto& [id, spec] : raw.at("components").items())
      context.component_ids.insert(id);

  Model model;
  model.file = file;
  model.scenario = options.scenario;
  model.name = raw.value("name", file.stem().string());
  nlohmann::json& resolved = model.document;
  resolved["name"] = model.name;
  if (raw.contains("description"))
    resolved["description"] = raw["description"];
  resolved["components"] = raw.contains("components") && raw["components"].is_object()
                               ? validate_components(raw["components"], context)
                               : nlohmann::json::object();
  resolved["run"] = validate_fields(raw.value("run", nlohmann::json::object()), run_params(), "run", context);
  resolved["faults"] = raw.contains("faults")
                           ? validate_param(raw["faults"], object_list_param("faults", fault_params(), ""), "faults", context)
                           : nlohmann::json::array();
  if (raw.contains("scenarios")) {
    if (!raw["scenarios"].is_object())
      context.problems.push_back({"scenarios", "must be an object of scenario name → {description, set, faults}"});
    else
      for (auto& [name, scenario] : raw["scenarios"].items())
        validate_fields(scenario, scenario_params(), join_path("scenarios", name), context);
  }
  if (context.problems.empty())
    model.run = read_run(resolved["run"], context.problems);
  if (context.problems.empty())
    check_faults(resolved, context.problems);
  if (context.problems.empty())
    check_model(resolved, context.problems);
  if (!context.problems.empty())
    throw InputError(std::move(context.problems));
  return model;
}

Model load_model(const std::filesystem::path& file, const LoadOptions& options)
{
  return model_from_json(read_json_file(file), file, options);
}

}  // namespace archlab
