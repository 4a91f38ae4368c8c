// Figures over a set of durations, in the shape `archlab run` prints:
// {"mean","p50","p99","max"}, all null when there is no value (as the
// simulator's job summary does), so a reader never mistakes "none" for 0.
#pragma once

#include <nlohmann/json.hpp>
#include <vector>

namespace archlab::loadgen {

// Exact nearest-rank percentile: the smallest value with at least
// fraction * n values at or below it. fraction in [0, 1]; 0 gives the minimum.
// Values need not be sorted. Empty input gives 0.
double percentile(std::vector<double> values, double fraction);

// For values on a grid of `step` (the table's times are whole milliseconds, so a
// 5 ms median could be anything from 4.5 to 5.5 ms): the percentile of grouped
// data, each grid value spread evenly over ±step/2, interpolated within its group.
// Without it a p50 of a few ms is off by up to 10 % from the rounding alone.
double grouped_percentile(std::vector<double> values, double fraction, double step);

nlohmann::json figures(const std::vector<double>& values_s);
// The same figures with the percentiles of grouped_percentile (mean and max are exact).
nlohmann::json grouped_figures(const std::vector<double>& values_s, double step_s);

}  // namespace archlab::loadgen
