// Probability distributions for times and sizes, parsed from a model:
//   {"dist": "exponential", "mean": 100}   {"dist": "constant", "value": 100}   or just 100
//   {"dist": "uniform", "min": 1, "max": 5}  {"dist": "normal", "mean": 10, "sd": 2} (truncated at 0)
//   {"dist": "lognormal", "mean": 100, "cv": 1.5}  {"dist": "gamma", "mean": 100, "cv": 0.5}
//   {"dist": "erlang", "k": 3, "mean": 100}  {"dist": "empirical", "samples": [..]} or {"dist": "empirical", "file": "x.csv"}
// Values are in the unit of the parameter that holds them (service_time_ms: milliseconds).
#pragma once

#include "sim/core/problems.hpp"
#include "sim/core/random.hpp"

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace archlab {

class Distribution {
public:
  enum class Kind { constant, exponential, uniform, normal, lognormal, gamma, empirical };

  Distribution() = default;
  static Distribution constant(double value);
  static Distribution exponential(double mean);

  // Appends a Problem for each mistake (naming `path`) and returns a usable constant 0 when there is one.
  static Distribution parse(const nlohmann::json& spec, const std::string& path, const std::filesystem::path& base_dir,
                            std::vector<Problem>& problems);
  static const std::vector<std::string>& kind_names();

  double sample(Rng& rng) const;
  double mean() const;   // of what sample() returns (the truncated normal is corrected for its cut)
  double cv() const;     // coefficient of variation, sd / mean
  Kind kind() const { return kind_; }
  Distribution scaled(double factor) const;  // the same shape in another unit (ms → s)

private:
  Kind kind_ = Kind::constant;
  double a_ = 0;  // constant value, mean, min, lognormal mu, gamma shape
  double b_ = 0;  // max, sd, lognormal sigma, gamma scale
  double scale_ = 1;
  std::vector<double> samples_;
};

}  // namespace archlab
