#include "sim/scaling/cloudwatch.hpp"

#include <cmath>

namespace archlab {

const std::vector<std::string>& comparison_symbols()
{
  static const std::vector<std::string> symbols = {">", ">=", "<", "<="};
  return symbols;
}

std::optional<Comparison> comparison_named(const std::string& symbol)
{
  if (symbol == ">")
    return Comparison::greater;
  if (symbol == ">=")
    return Comparison::greater_or_equal;
  if (symbol == "<")
    return Comparison::less;
  if (symbol == "<=")
    return Comparison::less_or_equal;
  return std::nullopt;
}

const char* comparison_symbol(Comparison comparison)
{
  switch (comparison) {
    case Comparison::greater: return ">";
    case Comparison::greater_or_equal: return ">=";
    case Comparison::less: return "<";
    case Comparison::less_or_equal: return "<=";
  }
  return "?";
}

bool breaches(Comparison comparison, double value, double threshold)
{
  switch (comparison) {
    case Comparison::greater: return value > threshold;
    case Comparison::greater_or_equal: return value >= threshold;
    case Comparison::less: return value < threshold;
    case Comparison::less_or_equal: return value <= threshold;
  }
  return false;
}

MetricSeries::MetricSeries(double period_s, double delay_s, std::size_t kept_periods)
    : period_s_(period_s), delay_s_(delay_s), kept_(kept_periods)
{
}

namespace {
// Period ends are multiples of the period, and now_s comes from a timer at such a time.
constexpr double tolerance_s = 1e-6;
}  // namespace

void MetricSeries::record(double period_end_s, std::optional<double> value, int instances)
{
  points_.push_back({period_end_s, value, instances});
  while (points_.size() > kept_)
    points_.pop_front();
}

const MetricSeries::Datapoint* MetricSeries::find(double period_end_s) const
{
  for (auto it = points_.rbegin(); it != points_.rend(); ++it)
    if (std::abs(it->period_end_s - period_end_s) < tolerance_s)
      return &*it;
  return nullptr;
}

double MetricSeries::newest_published_end_s(double now_s) const
{
  return std::floor((now_s - delay_s_ + tolerance_s) / period_s_) * period_s_;
}

std::vector<std::optional<double>> MetricSeries::window(double now_s, int periods) const
{
  double newest_end_s = newest_published_end_s(now_s);
  std::vector<std::optional<double>> result(static_cast<std::size_t>(periods));
  for (int i = 0; i < periods; ++i)
    if (const auto* point = find(newest_end_s - (periods - 1 - i) * period_s_))
      result[static_cast<std::size_t>(i)] = point->value;
  return result;
}

int MetricSeries::instances_behind(double now_s) const
{
  const auto* point = find(newest_published_end_s(now_s));
  return point ? point->instances : 0;
}

AlarmEvaluation evaluate_alarm(const AlarmSpec& spec, const std::vector<std::optional<double>>& window)
{
  AlarmEvaluation evaluation;
  for (const auto& value : window) {
    if (!value)
      continue;
    ++evaluation.present;
    evaluation.latest = *value;
    if (breaches(spec.comparison, *value, spec.threshold))
      ++evaluation.breaching;
  }
  if (evaluation.breaching >= spec.datapoints_to_alarm)
    evaluation.state = AlarmState::alarm;
  else if (evaluation.present > 0)
    evaluation.state = AlarmState::ok;
  return evaluation;
}

}  // namespace archlab
