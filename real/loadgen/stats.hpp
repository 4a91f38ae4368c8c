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

nlohmann::json figures(const std::vector<double>& values_s);

}  // namespace archlab::loadgen
