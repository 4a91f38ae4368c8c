// archlab compare: a measured run (the real system under archlab-loadgen) against a simulation of
// the same load. What maps onto what is data, a calibration map beside the model
// (models/compare/<model>.json): which --sets reproduce the measured load, which model figures are
// calibrated from measured timings, and which figures to compare. Pure: JSON in, JSON out.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace archlab::compare {

struct FigurePair {
  std::string name;       // "job latency p99 (s)"
  std::string simulated;  // JSON pointer into the simulation's summary
  std::string measured;   // JSON pointer into the measured result
  // The calibration made the model match this figure (the load it was offered): its
  // error checks the mechanics, not the model. Otherwise the figure is a prediction.
  bool is_fitted = false;
};

struct CalibrationMap {
  nlohmann::json sets;  // model path → value template (see calibration_sets)
  std::vector<FigurePair> figures;
};

// Validates a map; throws InputError naming `origin` and the path of each problem.
CalibrationMap read_calibration_map(const nlohmann::json& document, const std::string& origin);

// The --set assignments ("path=json") that make the model carry the measured load and timings.
// In a value, a string "${/pointer}" becomes the measured number there; {"sum_of": [...]} adds
// numbers; {"quotient_of": [a, b]} divides a by b (b ≠ 0); {"lognormal_ms": "/pointer"} becomes a lognormal distribution in milliseconds fitted to
// the measured block of seconds at that pointer (its mean and p50), or a constant when the median is
// not below the mean; {"empirical_ms": "/pointer"} becomes an empirical distribution in
// milliseconds drawing from the measured block's "quantiles" (equally likely values in seconds).
// Throws InputError naming
// `measured_origin` when the result lacks a figure the map needs.
std::vector<std::string> calibration_sets(const CalibrationMap& map, const nlohmann::json& measured,
                                          const std::string& measured_origin);

// A lognormal with this mean and median: σ² = 2 ln(mean / median), cv = sqrt(exp(σ²) − 1). A
// median at or above the mean (no right skew) gives cv 0.
struct Lognormal {
  double mean = 0;
  double cv = 0;
};
Lognormal lognormal_from_mean_and_median(double mean, double median);

// Rows {figure, kind ("fitted" or "predicted"), simulated, measured, error_pct} — error relative to
// the measured value (null when that is 0 or either side is missing) — and the mean absolute error
// over the rows that have one, over all of them and over the predicted ones.
nlohmann::json compare_figures(const CalibrationMap& map, const nlohmann::json& simulated, const nlohmann::json& measured);

std::string comparison_table(const nlohmann::json& comparison);

}  // namespace archlab::compare
