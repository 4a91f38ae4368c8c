#include "sim/core/distribution.hpp"

#include "sim/core/json_io.hpp"
#include "sim/core/number_text.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <system_error>
#include <numeric>
#include <set>

namespace archlab {

namespace {
constexpr double PI = 3.14159265358979323846;

double standard_normal(Rng& rng)
{
  // Box–Muller with one value per call: wasteful but stateless, so a draw never depends on an earlier one.
  return std::sqrt(-2.0 * std::log(rng.uniform_open01())) * std::cos(2.0 * PI * rng.uniform01());
}

double gamma_unit_scale(Rng& rng, double shape)
{
  if (shape < 1.0)  // Marsaglia–Tsang needs shape >= 1; boost it and correct
    return gamma_unit_scale(rng, shape + 1.0) * std::pow(rng.uniform_open01(), 1.0 / shape);
  const double d = shape - 1.0 / 3.0;
  const double c = 1.0 / std::sqrt(9.0 * d);
  for (;;) {
    double x = standard_normal(rng);
    double v = 1.0 + c * x;
    if (v <= 0)
      continue;
    v = v * v * v;
    double u = rng.uniform_open01();
    if (std::log(u) < 0.5 * x * x + d - d * v + d * std::log(v))
      return d * v;
  }
}

double normal_pdf(double x) { return std::exp(-0.5 * x * x) / std::sqrt(2 * PI); }
double normal_cdf(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }

struct FieldReader {
  const nlohmann::json& spec;
  const std::string& path;
  std::vector<Problem>& problems;

  // Also at most `max`, so that every draw is a finite time a timer can be set at.
  double positive(const char* name, bool allow_zero = false, double max = distribution_limits::value)
  {
    auto field = join_path(path, name);
    if (!spec.contains(name)) {
      problems.push_back({field, "is required for this distribution"});
      return 1;
    }
    const auto& value = spec.at(name);
    if (!value.is_number()) {
      problems.push_back({field, "must be a number"});
      return 1;
    }
    double number = value.get<double>();
    if (!std::isfinite(number) || number < 0 || (!allow_zero && number == 0)) {
      problems.push_back({field, allow_zero ? "must be >= 0" : "must be > 0"});
      return 1;
    }
    if (number > max) {
      problems.push_back({field, "must be at most " + number_text(max) + " (a distribution's limit)"});
      return 1;
    }
    return number;
  }
};

const std::vector<std::pair<std::string, std::set<std::string>>>& fields_by_kind()
{
  static const std::vector<std::pair<std::string, std::set<std::string>>> fields = {
      {"constant", {"value"}},         {"exponential", {"mean"}},   {"uniform", {"min", "max"}},
      {"normal", {"mean", "sd"}},      {"lognormal", {"mean", "cv"}}, {"gamma", {"mean", "cv"}},
      {"erlang", {"k", "mean"}},       {"empirical", {"samples", "file"}}};
  return fields;
}

std::vector<double> read_samples_file(const std::filesystem::path& file, const std::string& path, std::vector<Problem>& problems)
{
  // A device, a FIFO or a huge file would never finish reading (or fill memory): refuse them before opening.
  std::error_code error;
  if (std::filesystem::exists(file, error) && !std::filesystem::is_regular_file(file, error)) {
    problems.push_back({path, file.string() + " is not a regular file"});
    return {};
  }
  if (auto size_bytes = std::filesystem::file_size(file, error); !error && size_bytes > distribution_limits::file_size_bytes) {
    problems.push_back({path, file.string() + " has " + std::to_string(size_bytes) + " bytes; a samples file has at most 64 MB"});
    return {};
  }
  std::ifstream in(file);
  if (!in) {
    problems.push_back({path, "cannot read samples file " + file.string()});
    return {};
  }
  std::vector<double> samples;
  std::string line;
  int line_number = 0;
  while (std::getline(in, line)) {
    ++line_number;
    auto cell = line.substr(0, line.find(','));
    if (cell.find_first_not_of(" \t\r") == std::string::npos)
      continue;
    try {
      std::size_t used = 0;
      double value = std::stod(cell, &used);
      if (value < 0 || !std::isfinite(value))
        throw std::invalid_argument("negative");
      samples.push_back(value);
      if (samples.size() > distribution_limits::samples) {
        problems.push_back({path, file.string() + " has more than 1,000,000 samples (a distribution's limit)"});
        return {};
      }
    } catch (const std::exception&) {
      if (line_number == 1)
        continue;  // a header line
      problems.push_back({file.string() + ":" + std::to_string(line_number), "not a non-negative number: '" + cell + "'"});
      return {};
    }
  }
  return samples;
}
}  // namespace

const std::vector<std::string>& Distribution::kind_names()
{
  static const std::vector<std::string> names = [] {
    std::vector<std::string> result;
    for (const auto& [name, fields] : fields_by_kind())
      result.push_back(name);
    return result;
  }();
  return names;
}

Distribution Distribution::constant(double value)
{
  Distribution d;
  d.kind_ = Kind::constant;
  d.a_ = value;
  return d;
}

Distribution Distribution::exponential(double mean)
{
  Distribution d;
  d.kind_ = Kind::exponential;
  d.a_ = mean;
  return d;
}

Distribution Distribution::parse(const nlohmann::json& spec, const std::string& path, const std::filesystem::path& base_dir,
                                 std::vector<Problem>& problems)
{
  if (spec.is_number()) {
    FieldReader reader{nlohmann::json{{"value", spec}}, path, problems};
    return constant(reader.positive("value", true));
  }
  if (!spec.is_object() || !spec.contains("dist") || !spec.at("dist").is_string()) {
    problems.push_back({path, "must be a number or a distribution such as {\"dist\": \"exponential\", \"mean\": 100}"});
    return constant(0);
  }
  const auto name = spec.at("dist").get<std::string>();
  auto known = std::find_if(fields_by_kind().begin(), fields_by_kind().end(), [&](auto& entry) { return entry.first == name; });
  if (known == fields_by_kind().end()) {
    std::string list;
    for (const auto& kind : kind_names())
      list += (list.empty() ? "" : ", ") + kind;
    problems.push_back({join_path(path, "dist"), "unknown distribution '" + name + "' (one of: " + list + ")"});
    return constant(0);
  }
  std::size_t problems_before = problems.size();
  for (const auto& [key, value] : spec.items())
    if (key != "dist" && !known->second.count(key))
      problems.push_back({join_path(path, key), "is not a field of the " + name + " distribution"});

  FieldReader reader{spec, path, problems};
  Distribution d;
  if (name == "constant") {
    d = constant(reader.positive("value", true));
  } else if (name == "exponential") {
    d = exponential(reader.positive("mean"));
  } else if (name == "uniform") {
    d.kind_ = Kind::uniform;
    d.a_ = reader.positive("min", true);
    d.b_ = reader.positive("max", true);
    if (d.b_ < d.a_)
      problems.push_back({join_path(path, "max"), "must be >= min"});
  } else if (name == "normal") {
    d.kind_ = Kind::normal;
    d.a_ = reader.positive("mean");
    d.b_ = reader.positive("sd", true);
  } else if (name == "lognormal") {
    d.kind_ = Kind::lognormal;
    double mean = reader.positive("mean");
    double cv = reader.positive("cv", false, distribution_limits::max_cv);
    d.b_ = std::sqrt(std::log(1.0 + cv * cv));
    d.a_ = std::log(mean) - 0.5 * d.b_ * d.b_;
  } else if (name == "gamma" || name == "erlang") {
    d.kind_ = Kind::gamma;
    double mean = reader.positive("mean");
    double shape = 1;
    if (name == "gamma") {
      double cv = reader.positive("cv", false, distribution_limits::max_cv);
      if (cv < distribution_limits::min_gamma_cv)
        problems.push_back({join_path(path, "cv"), "must be at least 0.001 (a gamma's limit; for no variation use a constant)"});
      shape = 1.0 / (cv * cv);
    } else {
      shape = reader.positive("k", false, distribution_limits::max_erlang_k);
      if (shape != std::floor(shape))
        problems.push_back({join_path(path, "k"), "must be a whole number of phases"});
    }
    d.a_ = shape;
    d.b_ = mean / shape;
  } else {  // empirical
    d.kind_ = Kind::empirical;
    if (spec.contains("samples") == spec.contains("file")) {
      problems.push_back({path, "an empirical distribution needs either \"samples\": [...] or \"file\": \"name.csv\""});
    } else if (spec.contains("file")) {
      if (!spec.at("file").is_string())
        problems.push_back({join_path(path, "file"), "must be a file name"});
      else
        d.samples_ = read_samples_file(base_dir / spec.at("file").get<std::string>(), join_path(path, "file"), problems);
    } else {
      const auto& samples = spec.at("samples");
      for (std::size_t i = 0; samples.is_array() && i < samples.size(); ++i) {
        if (!samples[i].is_number() || samples[i].get<double>() < 0 || samples[i].get<double>() > distribution_limits::value)
          problems.push_back({join_path(join_path(path, "samples"), i), "must be a number from 0 to 1e+09"});
        else
          d.samples_.push_back(samples[i].get<double>());
      }
      if (!samples.is_array())
        problems.push_back({join_path(path, "samples"), "must be a list of numbers"});
      else if (samples.size() > distribution_limits::samples)
        problems.push_back({join_path(path, "samples"), "has " + std::to_string(samples.size()) + " samples; at most 1,000,000"});
    }
    if (problems.size() == problems_before && d.samples_.empty())
      problems.push_back({path, "an empirical distribution needs at least one sample"});
  }
  return problems.size() == problems_before ? d : constant(0);
}

double Distribution::sample(Rng& rng) const
{
  switch (kind_) {
    case Kind::constant: return a_ * scale_;
    case Kind::exponential: return -std::log(rng.uniform_open01()) * a_ * scale_;
    case Kind::uniform: return (a_ + (b_ - a_) * rng.uniform01()) * scale_;
    case Kind::normal:
      for (;;) {  // truncated at 0 by rejection: a negative time means nothing
        double value = a_ + b_ * standard_normal(rng);
        if (value >= 0)
          return value * scale_;
      }
    case Kind::lognormal: return std::exp(a_ + b_ * standard_normal(rng)) * scale_;
    case Kind::gamma: return gamma_unit_scale(rng, a_) * b_ * scale_;
    case Kind::empirical: return samples_[rng.below(samples_.size())] * scale_;
  }
  return 0;
}

double Distribution::mean() const
{
  switch (kind_) {
    case Kind::constant:
    case Kind::exponential: return a_ * scale_;
    case Kind::uniform: return 0.5 * (a_ + b_) * scale_;
    case Kind::normal: {
      if (b_ == 0)
        return a_ * scale_;
      double alpha = -a_ / b_;
      return (a_ + b_ * normal_pdf(alpha) / (1 - normal_cdf(alpha))) * scale_;
    }
    case Kind::lognormal: return std::exp(a_ + 0.5 * b_ * b_) * scale_;
    case Kind::gamma: return a_ * b_ * scale_;
    case Kind::empirical: return std::accumulate(samples_.begin(), samples_.end(), 0.0) / samples_.size() * scale_;
  }
  return 0;
}

double Distribution::cv() const
{
  double m = mean() / scale_;
  if (m == 0)
    return 0;
  switch (kind_) {
    case Kind::constant: return 0;
    case Kind::exponential: return 1;
    case Kind::uniform: return (b_ - a_) / std::sqrt(12.0) / m;
    case Kind::normal: {
      if (b_ == 0)
        return 0;
      double alpha = -a_ / b_;
      double lambda = normal_pdf(alpha) / (1 - normal_cdf(alpha));
      double variance = b_ * b_ * (1 + alpha * lambda - lambda * lambda);
      return std::sqrt(variance) / m;
    }
    case Kind::lognormal: return std::sqrt(std::exp(b_ * b_) - 1);
    case Kind::gamma: return 1 / std::sqrt(a_);
    case Kind::empirical: {
      double sum_sq = 0;
      for (double s : samples_)
        sum_sq += (s - m) * (s - m);
      return std::sqrt(sum_sq / samples_.size()) / m;
    }
  }
  return 0;
}

Distribution Distribution::scaled(double factor) const
{
  Distribution copy = *this;
  copy.scale_ *= factor;
  return copy;
}

}  // namespace archlab
