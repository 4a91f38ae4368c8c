#include "sim/report/signal_series.hpp"

#include "sim/core/component.hpp"
#include "sim/core/registry.hpp"

#include <cstdio>

namespace archlab {

SignalSeries::SignalSeries(const std::vector<Component*>& components)
{
  for (auto* component : components) {
    auto signals = find_component_type(component->type())->all_signals();
    std::vector<double> previous(signals.size(), 0.0);
    tracked_.push_back({component, std::move(signals), std::move(previous)});
  }
}

void SignalSeries::sample(double at_s)
{
  char row[256];
  for (auto& tracked : tracked_)
    for (std::size_t i = 0; i < tracked.signals.size(); ++i) {
      const SignalSpec& spec = tracked.signals[i];
      double value = tracked.component->signal(spec.name).value_or(0.0);
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
