// CloudWatch as an Auto Scaling group sees it: a metric is one datapoint per period, published some
// time after the period ends; an alarm is evaluated every minute over the last N published periods
// and is in ALARM when M of them breach ("M out of N", docs/aws-facts.md §3).
// Pure: time comes in as now_s.
#pragma once

#include <cstddef>
#include <deque>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace archlab {

enum class Comparison { greater, greater_or_equal, less, less_or_equal };
std::optional<Comparison> comparison_named(const std::string& symbol);  // ">", ">=", "<", "<="
const std::vector<std::string>& comparison_symbols();
const char* comparison_symbol(Comparison comparison);
bool breaches(Comparison comparison, double value, double threshold);
inline bool is_upper(Comparison comparison) { return comparison == Comparison::greater || comparison == Comparison::greater_or_equal; }

class MetricSeries {
public:
  MetricSeries(double period_s, double delay_s, std::size_t kept_periods);
  // The datapoint of the period [period_end_s - period, period_end_s) (absent: nothing to measure),
  // and how many instances it was measured over.
  void record(double period_end_s, std::optional<double> value, int instances);
  // The last `periods` periods published by now_s, oldest first; a period without a datapoint is empty.
  std::vector<std::optional<double>> window(double now_s, int periods) const;
  // The instances behind the newest datapoint published by now_s (0: none): a proportion taken
  // from that datapoint must use the capacity it was measured with, not today's.
  int instances_behind(double now_s) const;

private:
  struct Datapoint {
    double period_end_s = 0;
    std::optional<double> value;
    int instances = 0;
  };
  const Datapoint* find(double period_end_s) const;
  double newest_published_end_s(double now_s) const;

  double period_s_;
  double delay_s_;
  std::size_t kept_;
  std::deque<Datapoint> points_;  // oldest first
};

struct AlarmSpec {
  Comparison comparison = Comparison::greater;
  double threshold = 0;
  int evaluation_periods = 1;   // N
  int datapoints_to_alarm = 1;  // M
};

enum class AlarmState { ok, alarm, insufficient_data };

struct AlarmEvaluation {
  AlarmState state = AlarmState::insufficient_data;
  int breaching = 0;
  int present = 0;
  std::optional<double> latest;  // the newest datapoint in the window
};

// Missing datapoints count as neither breaching nor not (CloudWatch's default "missing").
AlarmEvaluation evaluate_alarm(const AlarmSpec& spec, const std::vector<std::optional<double>>& window);

}  // namespace archlab
