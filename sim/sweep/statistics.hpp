// Replication statistics as JMT and the simulation textbooks report them: each figure's mean over
// independent replications with a Student-t confidence half-width, and the rule that says when
// enough replications have run for a requested relative precision.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace archlab::sweep {

// The p-quantile of Student's t with `degrees_of_freedom` (>= 1); p in (0, 1).
// Throws std::invalid_argument outside that domain.
double student_t_quantile(double p, double degrees_of_freedom);

struct Interval {
  std::size_t count = 0;
  double mean = 0;
  double half_width = 0;  // of the two-sided interval; 0 for a single sample (nothing to say)
  // half_width / |mean|; 0 when both are 0 (a figure that never moves), infinite when only the mean is
  double relative_half_width() const;
};

// Mean ± t_{(1+confidence)/2, n-1} · s / √n over the samples (independent replications).
Interval confidence_interval(const std::vector<double>& samples, double confidence = 0.95);

// Samples of each figure, one per replication in seed order (figure name → samples).
using FigureSamples = std::map<std::string, std::vector<double>>;

struct PrecisionRule {
  double relative_precision = 0.02;  // every watched figure's half-width within this share of its mean
  std::size_t min_replications = 3;  // fewer say little about the spread
  std::size_t max_replications = 50;  // the bound: a figure that will not settle does not run for ever
};

// How many of the first replications (seed order) the rule keeps: the smallest n in
// [min, max] at which every `watched` figure's interval over its first n samples is tight enough,
// or 0 when not reached yet within the samples given (and they are fewer than max). Judged on
// prefixes so that the answer does not depend on how many replications ran at once.
std::size_t replications_needed(const FigureSamples& samples, const std::vector<std::string>& watched, const PrecisionRule& rule);

}  // namespace archlab::sweep
