// Probability distributions for times and sizes, parsed from a model:
//   {"dist": "exponential", "mean": 100}   {"dist": "constant", "value": 100}   or just 100
//   {"dist": "uniform", "min": 1, "max": 5}  {"dist": "normal", "mean": 10, "sd": 2} (truncated at 0)
//   {"dist": "lognormal", "mean": 100, "cv": 1.5}  {"dist": "gamma", "mean": 100, "cv": 0.5}
//   {"dist": "erlang", "k": 3, "mean": 100}  {"dist": "empirical", "samples": [..]} or {"dist": "empirical", "file": "x.csv"}
// Limits: values and means at most 1e9, cv at most 100 (a gamma's at least 0.001), erlang k at most
// 1e6; an empirical file must be a regular file of at most 64 MB, with at most 1e6 samples.
// Values are in the unit of the parameter that holds them (service_time_ms: milliseconds).
#pragma once

#include "sim/core/problems.hpp"
#include "sim/core/random.hpp"

#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace archlab {

// What parse() accepts, so that sampling always ends with a finite value: a mean or value of 1e308 ms
// overflows simulated time, a gamma with cv 1e-200 has an infinite shape (its sampler never accepts),
// a lognormal with cv 1e200 draws infinities.
namespace distribution_limits {
inline constexpr double value = 1e9;  // any value, mean, sd, min or max, in the parameter's unit
inline constexpr double max_cv = 100;
inline constexpr double min_gamma_cv = 1e-3;
inline constexpr double max_erlang_k = 1e6;
inline constexpr std::size_t samples = 1000000;
inline constexpr std::uintmax_t file_size_bytes = 64 * 1024 * 1024;
}  // namespace distribution_limits

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
