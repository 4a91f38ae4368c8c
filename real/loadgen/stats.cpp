#include "stats.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace archlab::loadgen {

double percentile(std::vector<double> values, double fraction)
{
  if (values.empty())
    return 0;
  fraction = std::clamp(fraction, 0.0, 1.0);
  auto rank = static_cast<std::size_t>(std::ceil(fraction * static_cast<double>(values.size())));
  std::size_t index = rank == 0 ? 0 : rank - 1;
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(index), values.end());
  return values[index];
}

double grouped_percentile(std::vector<double> values, double fraction, double step)
{
  if (values.empty())
    return 0;
  std::sort(values.begin(), values.end());
  const double target = std::clamp(fraction, 0.0, 1.0) * static_cast<double>(values.size());
  std::size_t below = 0;
  while (below < values.size()) {
    const double group = std::round(values[below] / step);
    std::size_t end = below;
    while (end < values.size() && std::round(values[end] / step) == group)
      ++end;
    if (static_cast<double>(end) >= target) {
      double within = (target - static_cast<double>(below)) / static_cast<double>(end - below);
      return std::max(0.0, (group - 0.5 + within) * step);
    }
    below = end;
  }
  return values.back();
}

nlohmann::json grouped_figures(const std::vector<double>& values_s, double step_s)
{
  auto out = figures(values_s);
  if (!values_s.empty()) {
    out["p50"] = grouped_percentile(values_s, 0.5, step_s);
    out["p99"] = grouped_percentile(values_s, 0.99, step_s);
  }
  return out;
}

nlohmann::json figures(const std::vector<double>& values_s)
{
  if (values_s.empty())
    return {{"mean", nullptr}, {"p50", nullptr}, {"p99", nullptr}, {"max", nullptr}};
  double sum = std::accumulate(values_s.begin(), values_s.end(), 0.0);
  return {{"mean", sum / static_cast<double>(values_s.size())},
          {"p50", percentile(values_s, 0.5)},
          {"p99", percentile(values_s, 0.99)},
          {"max", *std::max_element(values_s.begin(), values_s.end())}};
}

}  // namespace archlab::loadgen
