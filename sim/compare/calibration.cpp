#include "sim/compare/calibration.hpp"

#include "sim/core/json_io.hpp"
#include "sim/core/problems.hpp"

#include <cmath>
#include <cstdio>

namespace archlab::compare {

namespace {
const nlohmann::json* at_pointer(const nlohmann::json& document, const std::string& pointer)
{
  try {
    nlohmann::json::json_pointer path(pointer);
    return document.contains(path) ? &document.at(path) : nullptr;
  } catch (const nlohmann::json::exception&) {
    return nullptr;
  }
}

double measured_number(const nlohmann::json& measured, const std::string& pointer, const std::string& origin)
{
  const auto* value = at_pointer(measured, pointer);
  if (!value || !value->is_number())
    throw InputError(origin + ": " + pointer, "missing or not a number (the calibration map needs it)");
  return value->get<double>();
}

nlohmann::json resolve(const nlohmann::json& value, const nlohmann::json& measured, const std::string& origin)
{
  if (value.is_string()) {
    auto text = value.get<std::string>();
    if (text.size() > 3 && text.rfind("${", 0) == 0 && text.back() == '}')
      return measured_number(measured, text.substr(2, text.size() - 3), origin);
    return value;
  }
  if (value.is_object() && value.size() == 1 && value.contains("sum_of")) {
    double sum = 0;
    for (const auto& term : value.at("sum_of"))
      sum += resolve(term, measured, origin).get<double>();
    return sum;
  }
  if (value.is_object() && value.size() == 1 && value.contains("lognormal_ms")) {
    auto pointer = value.at("lognormal_ms").get<std::string>();
    double mean = measured_number(measured, pointer + "/mean", origin);
    double median = measured_number(measured, pointer + "/p50", origin);
    auto fitted = lognormal_from_mean_and_median(mean, median);
    if (fitted.mean <= 0)
      throw InputError(origin + ": " + pointer + "/mean", "must be > 0 to calibrate a duration");
    if (fitted.cv <= 0)  // no right skew measured (often: times rounded to the millisecond): a constant
      return fitted.mean * 1000;
    return {{"dist", "lognormal"}, {"mean", fitted.mean * 1000}, {"cv", fitted.cv}};
  }
  if (value.is_object() || value.is_array()) {
    nlohmann::json out = value;
    for (auto& [key, item] : out.items())
      item = resolve(item, measured, origin);
    return out;
  }
  return value;
}

std::string format_number(const nlohmann::json& value)
{
  if (!value.is_number())
    return "-";
  char text[32];
  std::snprintf(text, sizeof text, "%.4g", value.get<double>());
  return text;
}
}  // namespace

CalibrationMap read_calibration_map(const nlohmann::json& document, const std::string& origin)
{
  std::vector<Problem> problems;
  CalibrationMap map;
  if (!document.is_object()) {
    throw InputError(origin, "a calibration map is an object with \"sets\" and \"figures\"");
  }
  for (const auto& [key, value] : document.items())
    if (key != "description" && key != "sets" && key != "figures")
      problems.push_back({origin + ": " + key, "unknown key (known: description, sets, figures)"});
  if (!document.contains("sets") || !document.at("sets").is_object())
    problems.push_back({origin + ": sets", "must be an object: model path → value"});
  else
    map.sets = document.at("sets");
  if (!document.contains("figures") || !document.at("figures").is_array() || document.at("figures").empty()) {
    problems.push_back({origin + ": figures", "must be a non-empty list of {name, simulated, measured}"});
  } else {
    const auto& figures = document.at("figures");
    for (std::size_t i = 0; i < figures.size(); ++i) {
      const auto& figure = figures[i];
      auto where = origin + ": " + join_path("figures", i);
      if (!figure.is_object() || !figure.contains("name") || !figure.contains("simulated") || !figure.contains("measured") ||
          !figure.at("name").is_string() || !figure.at("simulated").is_string() || !figure.at("measured").is_string()) {
        problems.push_back({where, "needs \"name\", \"simulated\" and \"measured\" (JSON pointers), all strings"});
        continue;
      }
      map.figures.push_back({figure.at("name"), figure.at("simulated"), figure.at("measured")});
    }
  }
  if (!problems.empty())
    throw InputError(problems);
  return map;
}

Lognormal lognormal_from_mean_and_median(double mean, double median)
{
  if (mean <= 0 || median <= 0 || median >= mean)
    return {mean, 0};
  double variance_of_log = 2 * std::log(mean / median);
  return {mean, std::sqrt(std::exp(variance_of_log) - 1)};
}

std::vector<std::string> calibration_sets(const CalibrationMap& map, const nlohmann::json& measured, const std::string& measured_origin)
{
  std::vector<std::string> sets;
  for (const auto& [path, value] : map.sets.items())
    sets.push_back(path + "=" + resolve(value, measured, measured_origin).dump());
  return sets;
}

nlohmann::json compare_figures(const CalibrationMap& map, const nlohmann::json& simulated, const nlohmann::json& measured)
{
  nlohmann::json rows = nlohmann::json::array();
  double error_sum = 0;
  int errors = 0;
  for (const auto& figure : map.figures) {
    const auto* sim = at_pointer(simulated, figure.simulated);
    const auto* real = at_pointer(measured, figure.measured);
    nlohmann::json row = {{"figure", figure.name},
                          {"simulated", sim && sim->is_number() ? *sim : nlohmann::json()},
                          {"measured", real && real->is_number() ? *real : nlohmann::json()},
                          {"error_pct", nullptr}};
    if (row["simulated"].is_number() && row["measured"].is_number() && row["measured"].get<double>() != 0) {
      double error = 100 * (row["simulated"].get<double>() - row["measured"].get<double>()) / row["measured"].get<double>();
      row["error_pct"] = error;
      error_sum += std::fabs(error);
      ++errors;
    }
    rows.push_back(row);
  }
  return {{"figures", rows}, {"mean_absolute_error_pct", errors ? nlohmann::json(error_sum / errors) : nlohmann::json()}};
}

std::string comparison_table(const nlohmann::json& comparison)
{
  char line[160];
  std::string out;
  std::snprintf(line, sizeof line, "%-34s %12s %12s %10s\n", "figure", "simulated", "measured", "error");
  out += line;
  for (const auto& row : comparison.at("figures")) {
    auto error = row.at("error_pct").is_number() ? format_number(row.at("error_pct")) + " %" : std::string("-");
    std::snprintf(line, sizeof line, "%-34s %12s %12s %10s\n", row.at("figure").get<std::string>().c_str(),
                  format_number(row.at("simulated")).c_str(), format_number(row.at("measured")).c_str(), error.c_str());
    out += line;
  }
  const auto& mean = comparison.at("mean_absolute_error_pct");
  out += "\nmean absolute error: " + (mean.is_number() ? format_number(mean) + " %" : std::string("-")) + "\n";
  return out;
}

}  // namespace archlab::compare
