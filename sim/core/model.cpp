#include "sim/core/model.hpp"

#include "sim/core/json_io.hpp"
#include "sim/core/model_checks.hpp"
#include "sim/core/problems.hpp"
#include "sim/core/registry.hpp"
#include "sim/core/fault_plan.hpp"

#include <algorithm>

namespace archlab {

std::vector<ParamSpec> run_params()
{
  // The largest integer a double (and so every JSON reader) holds exactly.
  constexpr double max_seed = 9007199254740991;
  return {
      number_param("duration_s", "s", nullptr, "simulated time to run (give this or requests)").above(0),
      integer_param("requests", nullptr, "requests to send in all, then wait for their answers (give this or duration_s)").at_least(1),
      number_param("warmup_s", "s", 0, "simulated time left out of the figures").at_least(0),
      integer_param("warmup_requests", 0, "first requests left out of the figures").at_least(0),
      integer_param("seed", 1, "seed of every random stream; same seed, same results").at_least(0).at_most(max_seed),
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

void set_at_path(nlohmann::json& document, const std::string& path, nlohmann::json value, const std::string& origin)
{
  if (static_cast<std::size_t>(std::count(path.begin(), path.end(), '.')) >= max_nesting_depth)
    throw InputError(origin, "the path has more than " + std::to_string(max_nesting_depth) + " segments (a model nests far less)");
  nlohmann::json* node = &document;
  std::size_t start = 0;
  std::string walked;
  while (true) {
    auto dot = path.find('.', start);
    auto key = path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (key.empty())
      throw InputError(origin, "empty segment in the path");
    walked = join_path(walked, key);
    bool is_last = dot == std::string::npos;
    if (node->is_array()) {
      bool is_index = key.size() <= 9 && std::all_of(key.begin(), key.end(), [](char c) { return c >= '0' && c <= '9'; });
      if (!is_index)
        throw InputError(origin, printable_name(walked) + " indexes a list: use a number");
      auto index = std::stoul(key);
      if (index >= node->size())
        throw InputError(origin, walked + " is past the end of a list of " + std::to_string(node->size()));
      node = &(*node)[index];
    } else {
      if (node->is_null())
        *node = nlohmann::json::object();
      if (!node->is_object())
        throw InputError(origin, "cannot set " + printable_name(walked) + " inside a value that is not an object");
      node = &(*node)[key];
    }
    if (is_last) {
      *node = std::move(value);
      return;
    }
    start = dot + 1;
  }
}

// "server.concurrency" → "components.server.concurrency"; a top-level key stays as it is.
std::string full_path(const nlohmann::json& document, const std::string& path, const std::string& origin)
{
  auto first = path.substr(0, path.find('.'));
  if (std::count(top_level_keys().begin(), top_level_keys().end(), first))
    return path;
  if (document.contains("components") && document["components"].is_object() && document["components"].contains(first))
    return "components." + path;
  throw InputError(origin, "'" + printable_name(first) + "' is neither a top-level key (components, run, faults, ...) nor a component id");
}

// Scenarios extend scenarios: bounded in depth and in the applications in all, so that 41 scenarios
// each extending the previous one twice (2^40 applications) are refused, not run.
constexpr std::size_t max_extends_depth = 16;
constexpr std::size_t max_scenario_applications = 256;
constexpr std::size_t max_scenario_faults = 10000;  // faults scenarios add in all, counted as applied

class ScenarioApplier {
public:
  // The scenarios are moved out of the document while they are applied (so that a scenario's `set`
  // cannot rewrite them underneath), and moved back after: no copy of them per application.
  explicit ScenarioApplier(nlohmann::json& document) : document_(document)
  {
    if (document_.contains("scenarios"))
      scenarios_ = std::move(document_["scenarios"]);
  }
  ~ScenarioApplier()
  {
    if (!scenarios_.is_null())
      document_["scenarios"] = std::move(scenarios_);
  }
  ScenarioApplier(const ScenarioApplier&) = delete;
  ScenarioApplier& operator=(const ScenarioApplier&) = delete;

  void apply(const std::string& name)
  {
    if (!scenarios_.is_object() || !scenarios_.contains(name))
      throw InputError("--scenario", "no scenario named '" + printable_name(name) + "'" + known_names());
    apply_named(name);
  }

private:
  void apply_named(const std::string& name)
  {
    auto extends_path = join_path(join_path("scenarios", printable_name(name)), "extends");
    if (std::find(chain_.begin(), chain_.end(), name) != chain_.end())
      throw InputError(extends_path, "scenario '" + printable_name(name) + "' extends itself: " + chain_text(name));
    if (chain_.size() >= max_extends_depth)
      throw InputError(extends_path, "extends scenarios more than " + std::to_string(max_extends_depth) + " deep: " + chain_text(name));
    if (++applications_ > max_scenario_applications)
      throw InputError(join_path("scenarios", printable_name(chain_.front())), "applies more than " + std::to_string(max_scenario_applications) +
                                                                    " scenarios in all through extends (a base reached twice counts twice)");
    chain_.push_back(name);
    const auto& scenario = scenarios_.at(name);
    if (scenario.is_object() && scenario.contains("extends") && scenario.at("extends").is_array())
      for (const auto& base : scenario.at("extends")) {
        if (!base.is_string() || !scenarios_.contains(base.get<std::string>()))
          throw InputError(extends_path, "names no scenario of this model: " + printable_name(base.dump()));
        apply_named(base.get<std::string>());
      }
    auto set_path = join_path(join_path("scenarios", printable_name(name)), "set");
    if (scenario.is_object() && scenario.contains("set") && scenario.at("set").is_object())
      for (const auto& [path, value] : scenario.at("set").items()) {
        auto origin = join_path(set_path, printable_name(path));
        set_at_path(document_, full_path(document_, path, origin), value, origin);
      }
    if (scenario.is_object() && scenario.contains("faults") && scenario.at("faults").is_array()) {
      if (!document_.contains("faults"))
        document_["faults"] = nlohmann::json::array();
      faults_added_ += scenario.at("faults").size();
      if (faults_added_ > max_scenario_faults)
        throw InputError(join_path(join_path("scenarios", printable_name(chain_.front())), "faults"),
                         "the scenarios applied add more than " + std::to_string(max_scenario_faults) + " faults in all");
      if (document_["faults"].is_array())  // otherwise validation says what "faults" must be
        for (const auto& fault : scenario.at("faults"))
          document_["faults"].push_back(fault);
    }
    chain_.pop_back();
  }

  std::string chain_text(const std::string& last) const
  {
    std::string text;
    for (const auto& name : chain_)
      text += printable_name(name) + " → ";
    return text + printable_name(last);
  }

  std::string known_names() const
  {
    constexpr std::size_t listed = 20;
    std::vector<std::string> names;
    for (const auto& [name, scenario] : scenarios_.items())
      names.push_back(name);
    if (names.empty())
      return " (this model has none)";
    std::string list;
    for (std::size_t i = 0; i < names.size() && i < listed; ++i)
      list += (i ? ", " : "") + printable_name(names[i]);
    return " (known: " + list + (names.size() > listed ? ", ... " + std::to_string(names.size()) + " in all" : "") + ")";
  }

  nlohmann::json& document_;
  nlohmann::json scenarios_;
  std::vector<std::string> chain_;  // the scenario being applied and those extending it
  std::size_t applications_ = 0;
  std::size_t faults_added_ = 0;
};

nlohmann::json validate_components(const nlohmann::json& components, ValidationContext& context)
{
  nlohmann::json resolved = nlohmann::json::object();
  std::vector<std::string> type_names;
  for (const auto& type : component_types())
    type_names.push_back(type.name);
  for (auto& [id, spec] : components.items()) {
    auto path = join_path("components", printable_name(id));
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
  auto origin = "--set " + printable_name(assignment);
  auto equals = assignment.find('=');
  if (equals == std::string::npos || equals == 0)
    throw InputError(origin, "expected path=value, e.g. components.server.concurrency=4");
  auto path = full_path(document, assignment.substr(0, equals), origin);
  set_at_path(document, path, parse_json_or_word(assignment.substr(equals + 1), origin), origin);
}

namespace {
// A problem thrown while transforming the document (scenario, --set) is kept, and validation goes
// on: every problem is reported in one pass.
template <typename Step>
void collecting(std::vector<Problem>& problems, Step step)
{
  try {
    step();
  } catch (const InputError& error) {
    problems.insert(problems.end(), error.problems().begin(), error.problems().end());
  }
}

// Which parts of the document have problems, for the checks across sections: they run on the parts
// without. Sorted paths, so that each question is two binary searches, however many problems.
class ProblemIndex {
public:
  explicit ProblemIndex(const std::vector<Problem>& problems)
  {
    for (const auto& problem : problems)
      paths_.push_back(problem.path);
    std::sort(paths_.begin(), paths_.end());
  }

  bool has_under(const std::string& section) const
  {
    if (std::binary_search(paths_.begin(), paths_.end(), section))
      return true;
    for (const char* separator : {".", "["}) {
      auto prefix = section + separator;
      auto it = std::lower_bound(paths_.begin(), paths_.end(), prefix);
      if (it != paths_.end() && it->compare(0, prefix.size(), prefix) == 0)
        return true;
    }
    return false;
  }

private:
  std::vector<std::string> paths_;
};

void check_component_ids(const nlohmann::json& components, ValidationContext& context)
{
  for (const auto& [id, spec] : components.items()) {
    if (id.empty())
      context.problems.push_back({"components", "a component id must not be empty"});
    else if (std::any_of(id.begin(), id.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; }))
      context.problems.push_back({join_path("components", printable_name(id)), "a component id must not contain control characters"});
    context.component_ids.insert(id);
  }
}

// The problem-free part of the resolved document, for the checks across sections: a component's
// parameter with a problem is left out (the checks skip what is absent) rather than checked while wrong.
nlohmann::json clean_part(const nlohmann::json& resolved, const ProblemIndex& problems)
{
  nlohmann::json part = {{"components", resolved.at("components")}, {"faults", resolved.at("faults")}};
  for (auto& [id, component] : part["components"].items()) {
    auto path = join_path("components", printable_name(id));
    if (!problems.has_under(path))
      continue;
    std::vector<std::string> wrong;
    for (const auto& [key, value] : component.items())
      if (key != "type" && problems.has_under(join_path(path, key)))
        wrong.push_back(key);
    for (const auto& key : wrong)
      component.erase(key);
  }
  return part;
}
}  // namespace

Model model_from_json(nlohmann::json raw, const std::filesystem::path& file, const LoadOptions& options)
{
  if (!raw.is_object())
    throw InputError(file.string(), "a model must be a JSON object with \"components\" and \"run\"");
  ValidationContext context;
  context.model_dir = file.parent_path();
  if (!options.scenario.empty())
    collecting(context.problems, [&] { ScenarioApplier(raw).apply(options.scenario); });
  for (const auto& assignment : options.sets)
    collecting(context.problems, [&] { apply_override(raw, assignment); });
  if (options.seed >= 0 && (!raw.contains("run") || raw["run"].is_object()))
    raw["run"]["seed"] = options.seed;

  for (auto& [key, value] : raw.items())
    if (!std::count(top_level_keys().begin(), top_level_keys().end(), key)) {
      auto hint = closest_name(key, top_level_keys());
      context.problems.push_back({printable_name(key), "unknown top-level key" + (hint.empty() ? "" : " (did you mean '" + hint + "'?)")});
    }
  if (!raw.contains("components") || !raw.at("components").is_object() || raw.at("components").empty())
    context.problems.push_back({"components", "is required: an object of component id → {\"type\": ..., parameters}"});
  else
    check_component_ids(raw.at("components"), context);

  Model model;
  model.file = file;
  model.scenario = options.scenario;
  model.name = file.stem().string();
  if (raw.contains("name") && raw["name"].is_string())
    model.name = raw["name"].get<std::string>();
  else if (raw.contains("name"))
    context.problems.push_back({"name", "must be a string"});
  nlohmann::json& resolved = model.document;
  resolved["name"] = model.name;
  if (raw.contains("description") && !raw["description"].is_string())
    context.problems.push_back({"description", "must be a string"});
  else if (raw.contains("description"))
    resolved["description"] = raw["description"];
  resolved["components"] = raw.contains("components") && raw["components"].is_object()
                               ? validate_components(raw["components"], context)
                               : nlohmann::json::object();
  resolved["run"] = validate_fields(raw.value("run", nlohmann::json::object()), run_params(), "run", context);
  resolved["faults"] = raw.contains("faults")
                           ? validate_param(raw["faults"], object_list_param("faults", fault_params(), ""), "faults", context)
                           : nlohmann::json::array();
  if (raw.contains("scenarios") && options.checks_scenarios) {
    if (!raw["scenarios"].is_object()) {
      context.problems.push_back({"scenarios", "must be an object of scenario name → {description, set, faults}"});
    } else {
      auto params = scenario_params();
      for (auto& [name, scenario] : raw["scenarios"].items())
        validate_fields(scenario, params, join_path("scenarios", printable_name(name)), context);
    }
  }
  ProblemIndex found(context.problems);
  if (!found.has_under("run"))
    model.run = read_run(resolved["run"], context.problems);
  if (!found.has_under("faults"))
    check_faults(clean_part(resolved, found), context.problems);
  if (!found.has_under("components") && !found.has_under("run")) {  // references, cycles, sizes: on a sound model only
    std::vector<Problem> model_problems;
    check_model(resolved, model_problems);
    context.problems.insert(context.problems.end(), model_problems.begin(), model_problems.end());
  }
  if (!context.problems.empty()) {
    std::stable_sort(context.problems.begin(), context.problems.end(), [](const Problem& a, const Problem& b) { return a.path < b.path; });
    throw InputError(std::move(context.problems));
  }
  return model;
}

Model load_model(const std::filesystem::path& file, const LoadOptions& options)
{
  return model_from_json(read_json_file(file), file, options);
}

}  // namespace archlab
