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
  if (value.is_object() && value.size() == 1 && value.contains("quotient_of")) {
    const auto& terms = value.at("quotient_of");
    if (!terms.is_array() || terms.size() != 2)
      throw InputError("quotient_of", "needs two terms, [dividend, divisor]");
    double divisor = resolve(terms[1], measured, origin).get<double>();
    if (divisor == 0)
      throw InputError(origin + ": " + terms[1].dump(), "is 0 (the calibration map divides by it)");
    return resolve(terms[0], measured, origin).get<double>() / divisor;
  }
  if (value.is_object() && value.size() == 1 && value.contains("empirical_ms")) {
    auto pointer = value.at("empirical_ms").get<std::string>() + "/quantiles";
    const auto* quantiles = at_pointer(measured, pointer);
    if (!quantiles || !quantiles->is_array() || quantiles->empty())
      throw InputError(origin + ": " + pointer, "missing or empty (the calibration map draws from these measured times)");
    nlohmann::json samples_ms = nlohmann::json::array();
    for (std::size_t i = 0; i < quantiles->size(); ++i) {
      const auto& quantile = (*quantiles)[i];
      if (!quantile.is_number() || quantile.get<double>() < 0)
        throw InputError(origin + ": " + join_path(pointer, i), "must be a number of seconds ≥ 0");
      samples_ms.push_back(quantile.get<double>() * 1000);
    }
    return {{"dist", "empirical"}, {"samples", samples_ms}};
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
      if (figure.contains("fitted") && !figure.at("fitted").is_boolean()) {
        problems.push_back({where + ".fitted", "must be true or false"});
        continue;
      }
      for (const auto& [key, ignored] : figure.items())
        if (key != "name" && key != "simulated" && key != "measured" && key != "fitted")
          problems.push_back({where + "." + key, "unknown key (known: name, simulated, measured, fitted)"});
      map.figures.push_back({figure.at("name"), figure.at("simulated"), figure.at("measured"), figure.value("fitted", false)});
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
  double error_sum = 0, predicted_error_sum = 0;
  int errors = 0, predicted_errors = 0;
  for (const auto& figure : map.figures) {
    const auto* sim = at_pointer(simulated, figure.simulated);
    const auto* real = at_pointer(measured, figure.measured);
    nlohmann::json row = {{"figure", figure.name},
                          {"kind", figure.is_fitted ? "fitted" : "predicted"},
                          {"simulated", sim && sim->is_number() ? *sim : nlohmann::json()},
                          {"measured", real && real->is_number() ? *real : nlohmann::json()},
                          {"error_pct", nullptr}};
    if (row["simulated"].is_number() && row["measured"].is_number() && row["measured"].get<double>() != 0) {
      double error = 100 * (row["simulated"].get<double>() - row["measured"].get<double>()) / row["measured"].get<double>();
      row["error_pct"] = error;
      error_sum += std::fabs(error);
      ++errors;
      if (!figure.is_fitted) {
        predicted_error_sum += std::fabs(error);
        ++predicted_errors;
      }
    }
    rows.push_back(row);
  }
  return {{"figures", rows},
          {"mean_absolute_error_pct", errors ? nlohmann::json(error_sum / errors) : nlohmann::json()},
          {"predicted_mean_absolute_error_pct", predicted_errors ? nlohmann::json(predicted_error_sum / predicted_errors) : nlohmann::json()}};
}

std::string comparison_table(const nlohmann::json& comparison)
{
  char line[160];
  std::string out;
  std::snprintf(line, sizeof line, "%-38s %-9s %12s %12s %10s\n", "figure", "kind", "simulated", "measured", "error");
  out += line;
  for (const auto& row : comparison.at("figures")) {
    auto error = row.at("error_pct").is_number() ? format_number(row.at("error_pct")) + " %" : std::string("-");
    std::snprintf(line, sizeof line, "%-38s %-9s %12s %12s %10s\n", row.at("figure").get<std::string>().c_str(),
                  row.value("kind", "predicted").c_str(), format_number(row.at("simulated")).c_str(),
                  format_number(row.at("measured")).c_str(), error.c_str());
    out += line;
  }
  auto percent = [](const nlohmann::json& value) { return value.is_number() ? format_number(value) + " %" : std::string("-"); };
  out += "\nmean absolute error: " + percent(comparison.at("mean_absolute_error_pct")) +
         " (predicted figures only: " + percent(comparison.value("predicted_mean_absolute_error_pct", nlohmann::json())) + ")\n";
  out += "fitted: the calibration gave the model this figure (the offered load); predicted: the model's own answer\n";
  return out;
}

}  // namespace archlab::compare
