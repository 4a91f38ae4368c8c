#include "sim/grading/rubric.hpp"

#include "sim/core/json_io.hpp"
#include "sim/grading/rubric_reader.hpp"

#include <algorithm>

namespace archlab::grading {

namespace detail {

void unknown_keys(const nlohmann::json& object, const std::vector<std::string>& known, const std::string& path, Reader& reader)
{
  std::string list;
  for (const auto& key : known)
    list += (list.empty() ? "" : ", ") + key;
  for (auto& [key, ignored] : object.items())
    if (std::find(known.begin(), known.end(), key) == known.end())
      reader.add(join_path(path, key), "unknown key (known: " + list + ")");
}

std::string text(const nlohmann::json& object, const std::string& key, const std::string& path, Reader& reader, bool is_required)
{
  if (!object.contains(key)) {
    if (is_required)
      reader.add(join_path(path, key), "is required");
    return "";
  }
  if (!object.at(key).is_string() || (is_required && object.at(key).get<std::string>().empty())) {
    reader.add(join_path(path, key), "must be a non-empty string");
    return "";
  }
  return object.at(key).get<std::string>();
}

namespace {
bool is_pointer(const std::string& pointer)
{
  try {
    nlohmann::json::json_pointer parsed(pointer);
    return !pointer.empty();
  } catch (const nlohmann::json::exception&) {
    return false;
  }
}
}  // namespace

std::string pointer(const nlohmann::json& object, const std::string& key, const std::string& path, Reader& reader, bool is_required)
{
  auto value = text(object, key, path, reader, is_required);
  if (!value.empty() && !is_pointer(value))
    reader.add(join_path(path, key), "must be a JSON pointer into the run summary, e.g. /components/server/latency_ms/p99");
  return value;
}

}  // namespace detail

namespace {
using detail::Reader;
using detail::text;
using detail::unknown_keys;

void read_limits(const nlohmann::json& spec, Limits& limits, Reader& reader)
{
  if (!spec.is_object()) {
    reader.add("limits", "must be an object {wall_s, cpu_s, memory_mb}");
    return;
  }
  unknown_keys(spec, {"wall_s", "cpu_s", "memory_mb"}, "limits", reader);
  for (auto [key, into] : {std::pair{"wall_s", &limits.wall_s}, std::pair{"cpu_s", &limits.cpu_s}, std::pair{"memory_mb", &limits.memory_mb}})
    if (spec.contains(key)) {
      if (!spec.at(key).is_number() || !(spec.at(key).get<double>() > 0))
        reader.add(join_path("limits", key), "must be a number > 0");
      else
        *into = spec.at(key).get<double>();
    }
}

void read_runs(const nlohmann::json& spec, Rubric& rubric, const std::string& path, Reader& reader)
{
  if (!spec.is_object()) {
    reader.add(path, "must be an object: run name → {scenario, seed, set}");
    return;
  }
  for (auto& [name, run] : spec.items()) {
    auto where = join_path(path, name);
    if (rubric.find_run(name)) {
      reader.add(where, "a run of this name exists already");
      continue;
    }
    if (!run.is_object()) {
      reader.add(where, "must be an object {scenario, seed, set}");
      continue;
    }
    unknown_keys(run, {"scenario", "seed", "set", "description"}, where, reader);
    RunSpec spec_out{name, text(run, "scenario", where, reader, false), 1, {}};
    if (!spec_out.scenario.empty() && !rubric.scenarios.contains(spec_out.scenario))
      reader.add(join_path(where, "scenario"), "names no scenario of the lab's scenario file: '" + spec_out.scenario + "'");
    if (run.contains("seed")) {
      const auto& seed = run.at("seed");
      if (!seed.is_number_integer() || (seed.is_number_integer() && !seed.is_number_unsigned() && seed.get<std::int64_t>() < 0))
        reader.add(join_path(where, "seed"), "must be a whole number >= 0");
      else
        spec_out.seed = seed.get<std::uint64_t>();
    }
    if (run.contains("set")) {
      if (!run.at("set").is_object())
        reader.add(join_path(where, "set"), "must be an object: path → value, as in a scenario");
      else
        for (auto& [set_path, value] : run.at("set").items())
          spec_out.sets.push_back(set_path + "=" + value.dump());
    }
    rubric.runs.push_back(std::move(spec_out));
  }
}

void read_scenarios(const nlohmann::json& scenarios, Rubric& rubric, Reader& reader)
{
  if (!scenarios.is_object()) {
    reader.add("scenarios", "must be an object: scenario name → {description, set, faults}");
    return;
  }
  for (auto& [name, scenario] : scenarios.items()) {
    if (rubric.scenarios.contains(name))
      reader.add(join_path("scenarios", name), "the lab has a scenario of this name already");
    rubric.scenarios[name] = scenario;
  }
}
}  // namespace

const RunSpec* Rubric::find_run(const std::string& name) const
{
  for (const auto& run : runs)
    if (run.name == name)
      return &run;
  return nullptr;
}

double Rubric::max_score() const
{
  double total = 0;
  for (const auto& check : checks)
    total += check.points;
  return total;
}

Rubric parse_rubric(const nlohmann::json& document, const nlohmann::json& lab_scenarios, const std::string& origin)
{
  Reader reader{origin, {}};
  Rubric rubric;
  if (!document.is_object())
    throw InputError(origin, "a rubric is an object {title, submission, runs, checks}");
  unknown_keys(document, {"title", "submission", "scenarios", "limits", "runs", "checks"}, "", reader);
  rubric.title = text(document, "title", "", reader, true);
  if (document.contains("submission")) {
    rubric.submission_file = text(document, "submission", "", reader, true);
    if (rubric.submission_file.find('/') != std::string::npos || rubric.submission_file.rfind(".", 0) == 0)
      reader.add("submission", "must be a plain file name such as submission.json");
  }
  read_scenarios(lab_scenarios, rubric, reader);
  if (document.contains("limits"))
    read_limits(document.at("limits"), rubric.limits, reader);
  read_runs(document.value("runs", nlohmann::json::object()), rubric, "runs", reader);
  detail::read_checks(document.value("checks", nlohmann::json()), rubric, false, "checks", reader);
  if (!reader.problems.empty())
    throw InputError(std::move(reader.problems));
  return rubric;
}

void add_hidden(Rubric& rubric, const nlohmann::json& hidden, const std::string& origin)
{
  Reader reader{origin, {}};
  if (!hidden.is_object())
    throw InputError(origin, "hidden checks are an object {scenarios, runs, checks}");
  unknown_keys(hidden, {"scenarios", "runs", "checks"}, "", reader);
  if (hidden.contains("scenarios")) {
    read_scenarios(hidden.at("scenarios"), rubric, reader);
    if (hidden.at("scenarios").is_object())
      for (auto& [name, ignored] : hidden.at("scenarios").items())
        rubric.hidden_scenarios.push_back(name);
  }
  read_runs(hidden.value("runs", nlohmann::json::object()), rubric, "runs", reader);
  detail::read_checks(hidden.value("checks", nlohmann::json()), rubric, true, "checks", reader);
  if (!reader.problems.empty())
    throw InputError(std::move(reader.problems));
}

Rubric load_rubric(const std::filesystem::path& lab_dir)
{
  auto rubric_file = lab_dir / "rubric.json";
  auto document = read_json_file(rubric_file);
  nlohmann::json scenarios = nlohmann::json::object();
  if (document.is_object() && document.contains("scenarios")) {
    if (!document.at("scenarios").is_string())
      throw InputError(rubric_file.string() + ": scenarios", "must name the lab's scenario file, e.g. \"scenarios.json\"");
    auto scenario_file = lab_dir / document.at("scenarios").get<std::string>();
    auto scenario_document = read_json_file(scenario_file);
    if (!scenario_document.is_object() || !scenario_document.contains("scenarios"))
      throw InputError(scenario_file.string(), "must be an object {\"scenarios\": {name: {description, set, faults}}}");
    scenarios = scenario_document.at("scenarios");
  }
  return parse_rubric(document, scenarios, rubric_file.string());
}

}  // namespace archlab::grading
