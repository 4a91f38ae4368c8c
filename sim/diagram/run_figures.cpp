#include "sim/diagram/run_figures.hpp"

#include "sim/core/problems.hpp"
#include "sim/core/registry.hpp"
#include "sim/diagram/event_kinds.hpp"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <vector>

namespace archlab::diagram {

namespace {

std::optional<double> number_at(const nlohmann::json& object, const char* key)
{
  if (object.is_object() && object.contains(key) && object.at(key).is_number())
    return object.at(key).get<double>();
  return std::nullopt;
}

std::optional<double> share(double part, std::optional<double> whole)
{
  if (!whole || *whole <= 0)
    return std::nullopt;
  return part / *whole;
}

// Autoscaled groups may report their range under several names; take the first pair found.
void read_instance_range(const nlohmann::json& instances, ComponentFigures& figures)
{
  static const std::pair<const char*, const char*> names[] = {
      {"min", "max"}, {"min_count", "max_count"}, {"min_seen", "max_seen"}, {"lowest", "highest"}};
  for (const auto& [low, high] : names)
    if (auto lowest = number_at(instances, low), highest = number_at(instances, high); lowest && highest) {
      figures.instances_min = static_cast<int>(*lowest);
      figures.instances_max = static_cast<int>(*highest);
      return;
    }
}

ComponentFigures component_figures(const nlohmann::json& entry)
{
  ComponentFigures figures;
  figures.type = entry.is_object() ? entry.value("type", "") : "";
  figures.utilization = number_at(entry, "utilization");
  figures.throughput_per_s = number_at(entry, "throughput_per_s");
  if (entry.contains("latency_ms"))
    figures.p99_ms = number_at(entry.at("latency_ms"), "p99");
  double lost = number_at(entry, "rejected").value_or(0) + number_at(entry, "failed").value_or(0);
  figures.failed_share = share(lost, number_at(entry, "arrivals"));
  if (entry.contains("instances"))
    read_instance_range(entry.at("instances"), figures);
  return figures;
}

ComponentFigures client_figures(const nlohmann::json& entry)
{
  ComponentFigures figures = component_figures(entry);
  figures.is_client = true;
  figures.type.clear();
  double lost = number_at(entry, "rejected").value_or(0) + number_at(entry, "failed").value_or(0) +
                number_at(entry, "timed_out").value_or(0);
  figures.failed_share = share(lost, number_at(entry, "sent"));
  return figures;
}

std::vector<std::string> split(const std::string& line, char separator)
{
  std::vector<std::string> fields;
  std::stringstream stream(line);
  for (std::string field; std::getline(stream, field, separator);)
    fields.push_back(field);
  return fields;
}

std::string join(const std::vector<std::string>& items)
{
  std::string text;
  for (std::size_t i = 0; i < items.size() && i < 6; ++i)
    text += (i ? ", " : "") + items[i];
  return items.size() > 6 ? text + ", …" : text;
}

}  // namespace

const ComponentFigures* RunFigures::find(const std::string& id) const
{
  auto it = by_component.find(id);
  return it == by_component.end() ? nullptr : &it->second;
}

RunFigures figures_from_summary(const nlohmann::json& summary, const std::string& origin)
{
  if (!summary.is_object() || !summary.contains("components") || !summary.at("components").is_object())
    throw InputError(origin, "not a run summary: it has no \"components\" object (write one with `archlab run MODEL --out DIR`)");
  RunFigures figures;
  figures.model = summary.value("model", "");
  for (const auto& [id, entry] : summary.at("components").items())
    figures.by_component[id] = component_figures(entry);
  if (summary.contains("clients") && summary.at("clients").is_object())
    for (const auto& [id, entry] : summary.at("clients").items())
      figures.by_component[id] = client_figures(entry);
  return figures;
}

void add_peak_utilization(RunFigures& figures, std::istream& timeseries_csv)
{
  std::string line;
  if (!std::getline(timeseries_csv, line))
    return;
  auto header = split(line, ',');
  auto column = [&](const std::string& name) { return std::find(header.begin(), header.end(), name) - header.begin(); };
  auto component_column = static_cast<std::size_t>(column("component"));
  auto utilization_column = static_cast<std::size_t>(column("utilization"));
  if (component_column >= header.size() || utilization_column >= header.size())
    return;
  while (std::getline(timeseries_csv, line)) {
    auto fields = split(line, ',');
    if (fields.size() <= std::max(component_column, utilization_column))
      continue;
    auto it = figures.by_component.find(fields[component_column]);
    if (it == figures.by_component.end() || it->second.is_client)
      continue;
    double value = std::strtod(fields[utilization_column].c_str(), nullptr);
    it->second.peak_utilization = std::max(it->second.peak_utilization.value_or(0), value);
  }
}

void add_fault_events(RunFigures& figures, std::istream& events_log)
{
  for (std::string line; std::getline(events_log, line);) {
    // events.log also tells routine work (a queue's sends and receives, scaling, registrations): only
    // faults and what they cause count.
    auto event = parse_event_line(line);
    if (!event || !is_fault_related(event_kind(event->text)))
      continue;
    // The components a line is about: those its text names (a health check names its target), else its source.
    std::map<std::string, int> about;
    for (const auto& [name, instance] : names_in_event(event->text))
      if (figures.by_component.contains(name))
        about.emplace(name, instance);
    if (about.empty() && figures.by_component.contains(event->source))
      about.emplace(event->source, -1);
    for (const auto& [id, instance] : about) {
      auto& component = figures.by_component[id];
      ++component.fault_events;
      if (instance >= 0)
        ++component.fault_events_by_instance[instance];
    }
  }
}

void add_signal_states(RunFigures& figures, const SignalTable& signals)
{
  for (auto& [id, component] : figures.by_component) {
    const ComponentType* type = component.is_client ? nullptr : find_component_type(component.type);
    const auto* series = signals.find(id);
    if (!type || !series)
      continue;
    const auto specs = type->all_signals();
    component.signal_state = card_state(specs, whole_run_values(specs, *series), StateScope::whole_run);
  }
}

RunFigures read_run_folder(const std::filesystem::path& folder, const std::string& model_name, const std::set<std::string>& model_ids)
{
  const std::string where = folder.string();
  if (!std::filesystem::is_directory(folder))
    throw InputError(where, "no such run folder (write one with `archlab run MODEL --out " + where + "`)");
  auto summary_path = folder / "summary.json";
  std::ifstream summary_file(summary_path);
  if (!summary_file)
    throw InputError(summary_path.string(), "missing: this is not a run folder (write one with `archlab run MODEL --out " + where + "`)");
  nlohmann::json summary;
  try {
    summary = nlohmann::json::parse(summary_file);
  } catch (const nlohmann::json::parse_error& error) {
    throw InputError(summary_path.string(), std::string("not valid JSON: ") + error.what());
  }
  RunFigures figures = figures_from_summary(summary, summary_path.string());
  std::vector<std::string> unknown, missing;
  for (const auto& [id, entry] : figures.by_component)
    if (!model_ids.contains(id))
      unknown.push_back(id);
  for (const auto& id : model_ids)  // a component type that reports nothing is no mismatch when the names agree
    if (!figures.by_component.contains(id) && figures.model != model_name)
      missing.push_back(id);
  if (!unknown.empty() || !missing.empty())
    throw InputError(summary_path.string(),
                     "this run is of another model (" + (figures.model.empty() ? std::string("unnamed") : figures.model) + "): " +
                         (unknown.empty() ? "" : "it has components the model lacks (" + join(unknown) + ")") +
                         (!unknown.empty() && !missing.empty() ? " and " : "") +
                         (missing.empty() ? "" : "it lacks the model's " + join(missing)) +
                         "; run this model with `archlab run MODEL --out DIR` and pass that folder");
  if (std::ifstream csv(folder / "timeseries.csv"); csv)
    add_peak_utilization(figures, csv);
  if (std::ifstream csv(folder / "signals.csv"); csv)
    add_signal_states(figures, read_signal_table(csv, (folder / "signals.csv").string()));
  if (std::ifstream log(folder / "events.log"); log)
    add_fault_events(figures, log);
  return figures;
}

}  // namespace archlab::diagram
