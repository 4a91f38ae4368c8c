#include "sim/sweep/figures.hpp"

#include <algorithm>

namespace archlab::sweep {

namespace {
bool is_bookkeeping(const std::string& path)
{
  static const std::vector<std::string> skipped = {"seed", "measured_from_s", "wall_clock", "cost_usd.lines", "cost_usd.prices"};
  return std::any_of(skipped.begin(), skipped.end(), [&](const std::string& prefix) {
    return path.compare(0, prefix.size(), prefix) == 0 && (path.size() == prefix.size() || path[prefix.size()] == '.');
  });
}

void flatten(const nlohmann::json& value, const std::string& path, std::map<std::string, double>& figures)
{
  if (is_bookkeeping(path))
    return;
  if (value.is_number()) {
    figures[path] = value.get<double>();
  } else if (value.is_object()) {
    for (auto& [key, child] : value.items())
      flatten(child, path.empty() ? key : path + "." + key, figures);
  }
}

bool starts_with(const std::string& text, const std::string& prefix) { return text.compare(0, prefix.size(), prefix) == 0; }
bool ends_with(const std::string& text, const std::string& suffix)
{
  return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}
// "clients.<id>.<rest>" with the id free of dots is what a component id looks like in a path;
// component ids may hold dots, so the suffix decides and the prefix only names the section.
bool is_client_figure(const std::string& name, const std::string& suffix) { return starts_with(name, "clients.") && ends_with(name, "." + suffix); }
}  // namespace

std::map<std::string, double> summary_figures(const nlohmann::json& summary)
{
  std::map<std::string, double> figures;
  flatten(summary, "", figures);
  return figures;
}

FigureSamples collect_samples(const std::vector<nlohmann::json>& summaries)
{
  FigureSamples samples;
  for (const auto& summary : summaries)
    for (const auto& [name, value] : summary_figures(summary))
      samples[name].push_back(value);
  return samples;
}

bool is_main_figure(const std::string& name)
{
  return is_client_figure(name, "latency_ms.mean") || is_client_figure(name, "throughput_per_s") ||
         (starts_with(name, "components.") && ends_with(name, ".utilization"));
}

bool is_plotted_figure(const std::string& name)
{
  return is_main_figure(name) || is_client_figure(name, "latency_ms.p95") || is_client_figure(name, "latency_ms.p99") || name == "cost_usd.total";
}

std::vector<std::string> main_figures_of(const FigureSamples& samples)
{
  std::vector<std::string> names;
  for (const auto& [name, values] : samples)
    if (is_main_figure(name))
      names.push_back(name);
  return names;
}

}  // namespace archlab::sweep
