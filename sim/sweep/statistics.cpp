#include "sim/sweep/statistics.hpp"

#include <boost/math/distributions/students_t.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace archlab::sweep {

double student_t_quantile(double p, double degrees_of_freedom)
{
  if (!(p > 0 && p < 1))
    throw std::invalid_argument("a quantile's probability must be in (0, 1)");
  if (!(degrees_of_freedom >= 1) || !std::isfinite(degrees_of_freedom))
    throw std::invalid_argument("Student's t needs at least one degree of freedom");
  return boost::math::quantile(boost::math::students_t_distribution<double>(degrees_of_freedom), p);
}

double Interval::relative_half_width() const
{
  if (half_width == 0)
    return 0;
  return mean == 0 ? std::numeric_limits<double>::infinity() : half_width / std::abs(mean);
}

Interval confidence_interval(const std::vector<double>& samples, double confidence)
{
  Interval interval;
  interval.count = samples.size();
  if (samples.empty())
    return interval;
  double sum = 0;
  for (double x : samples)
    sum += x;
  interval.mean = sum / static_cast<double>(samples.size());
  if (samples.size() < 2)
    return interval;
  double squares = 0;
  for (double x : samples)
    squares += (x - interval.mean) * (x - interval.mean);
  double n = static_cast<double>(samples.size());
  double deviation = std::sqrt(squares / (n - 1));
  interval.half_width = student_t_quantile((1 + confidence) / 2, n - 1) * deviation / std::sqrt(n);
  return interval;
}

std::size_t replications_needed(const FigureSamples& samples, const std::vector<std::string>& watched, const PrecisionRule& rule)
{
  std::size_t available = std::numeric_limits<std::size_t>::max();
  for (const auto& name : watched)
    if (auto found = samples.find(name); found != samples.end())
      available = std::min(available, found->second.size());
  if (available == std::numeric_limits<std::size_t>::max())  // nothing to watch: the minimum is enough
    available = samples.empty() ? 0 : samples.begin()->second.size();
  std::size_t first = std::max<std::size_t>(rule.min_replications, 2);
  for (std::size_t n = first; n <= std::min(available, rule.max_replications); ++n) {
    bool is_tight = true;
    for (const auto& name : watched) {
      auto found = samples.find(name);
      if (found == samples.end())
        continue;
      std::vector<double> prefix(found->second.begin(), found->second.begin() + static_cast<std::ptrdiff_t>(n));
      is_tight = is_tight && confidence_interval(prefix).relative_half_width() <= rule.relative_precision;
    }
    if (is_tight)
      return n;
  }
  return available >= rule.max_replications ? rule.max_replications : 0;
}

}  // namespace archlab::sweep
