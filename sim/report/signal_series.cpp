#include "sim/report/signal_series.hpp"

#include "sim/core/component.hpp"
#include "sim/core/registry.hpp"

#include <algorithm>
#include <cstdio>

namespace archlab {

SignalSeries::SignalSeries(const std::vector<Component*>& components, bool keeps_rows) : keeps_rows_(keeps_rows)
{
  for (auto* component : components) {
    auto signals = find_component_type(component->type())->all_signals();
    std::vector<double> previous(signals.size(), 0.0);
    std::vector<Figures> figures(signals.size());
    tracked_.push_back({component, std::move(signals), std::move(previous), std::move(figures), standard_signals().size()});
  }
}

nlohmann::json SignalSeries::summary_of(std::size_t index) const
{
  nlohmann::json section = nlohmann::json::object();
  const Tracked& tracked = tracked_.at(index);
  for (std::size_t i = tracked.first_own; i < tracked.signals.size(); ++i) {
    const SignalSpec& spec = tracked.signals[i];
    const Figures& figures = tracked.figures[i];
    switch (spec.kind) {
      case SignalKind::counter: section[spec.name] = {{"total", figures.last}}; break;
      case SignalKind::gauge:
        section[spec.name] = {{"mean", figures.samples ? figures.sum / static_cast<double>(figures.samples) : 0.0},
                              {"max", figures.max},
                              {"at_end", figures.last}};
        break;
      case SignalKind::distribution: section[spec.name] = {{"max", figures.max}, {"at_end", figures.last}}; break;
    }
  }
  return section;
}

void SignalSeries::sample(double at_s)
{
  char row[256];
  for (auto& tracked : tracked_)
    // Without rows only a type's own signals are wanted (for the summary): the standard ones, a
    // latency percentile among them, would cost every run a percentile per interval.
    for (std::size_t i = keeps_rows_ ? 0 : tracked.first_own; i < tracked.signals.size(); ++i) {
      const SignalSpec& spec = tracked.signals[i];
      double value = tracked.component->signal(spec.name).value_or(0.0);
      Figures& figures = tracked.figures[i];
      figures.sum += value;
      figures.max = figures.samples == 0 ? value : std::max(figures.max, value);
      figures.last = value;
      ++figures.samples;
      if (!keeps_rows_)
        continue;
      double shown = value;
      if (spec.kind == SignalKind::counter) {
        shown = value - tracked.previous[i];
        tracked.previous[i] = value;
      }
      std::snprintf(row, sizeof row, "%.6g,%s,%s,%.6g\n", at_s, tracked.component->id().c_str(), spec.name.c_str(), shown);
      rows_ << row;
    }
}

}  // namespace archlab
