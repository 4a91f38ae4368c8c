#include "sim/grading/comparison.hpp"

#include "sim/core/json_io.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <utility>

namespace archlab::grading {

namespace {
const std::vector<std::pair<std::string, Op>>& op_names()
{
  static const std::vector<std::pair<std::string, Op>> names = {
      {"<", Op::less}, {"<=", Op::less_equal}, {">", Op::greater}, {">=", Op::greater_equal}, {"==", Op::equal}, {"between", Op::between}};
  return names;
}

bool is_number(const nlohmann::json& value) { return value.is_number() && std::isfinite(value.get<double>()); }

void read_non_negative(const nlohmann::json& spec, const char* key, double& into, const std::string& path, std::vector<Problem>& problems)
{
  if (!spec.contains(key))
    return;
  if (!is_number(spec.at(key)) || spec.at(key).get<double>() < 0)
    problems.push_back({join_path(path, key), "must be a number >= 0"});
  else
    into = spec.at(key).get<double>();
}
}  // namespace

const char* op_symbol(Op op)
{
  for (const auto& [name, known] : op_names())
    if (known == op)
      return name.c_str();
  return "?";
}

Requirement parse_requirement(const nlohmann::json& spec, const std::string& path, std::vector<Problem>& problems)
{
  Requirement requirement;
  if (!spec.is_object()) {
    problems.push_back({path, R"(must be an object such as {"op": "<=", "value": 550})"});
    return requirement;
  }
  static const std::vector<std::string> keys = {"op", "value", "theory", "tolerance", "tolerance_pct"};
  for (auto& [key, ignored] : spec.items())
    if (std::find(keys.begin(), keys.end(), key) == keys.end())
      problems.push_back({join_path(path, key), "unknown key (known: op, value, theory, tolerance, tolerance_pct)"});
  bool has_op = false;
  if (spec.contains("op") && spec.at("op").is_string())
    for (const auto& [name, op] : op_names())
      if (spec.at("op") == name) {
        requirement.op = op;
        has_op = true;
      }
  if (!has_op) {
    problems.push_back({join_path(path, "op"), "must be one of <, <=, >, >=, ==, between"});
    return requirement;
  }
  bool has_value = spec.contains("value"), has_theory = spec.contains("theory");
  if (has_value == has_theory) {
    problems.push_back({path, "give exactly one of \"value\" (a number) or \"theory\" (a figure of archlab theory --json)"});
    return requirement;
  }
  if (has_theory) {
    if (!spec.at("theory").is_string() || spec.at("theory").get<std::string>().empty())
      problems.push_back({join_path(path, "theory"), "must name a figure of archlab theory --json, e.g. \"mean response (ms)\""});
    else
      requirement.theory = spec.at("theory").get<std::string>();
    if (requirement.op == Op::between)
      problems.push_back({join_path(path, "op"), "between takes two numbers, not a theory figure"});
  } else if (requirement.op == Op::between) {
    const auto& value = spec.at("value");
    if (!value.is_array() || value.size() != 2 || !is_number(value[0]) || !is_number(value[1]) || value[0].get<double>() > value[1].get<double>())
      problems.push_back({join_path(path, "value"), "between needs [low, high] with low <= high"});
    else {
      requirement.value = value[0].get<double>();
      requirement.high = value[1].get<double>();
    }
  } else if (!is_number(spec.at("value"))) {
    problems.push_back({join_path(path, "value"), "must be a number"});
  } else {
    requirement.value = spec.at("value").get<double>();
  }
  read_non_negative(spec, "tolerance", requirement.tolerance, path, problems);
  read_non_negative(spec, "tolerance_pct", requirement.tolerance_pct, path, problems);
  if ((spec.contains("tolerance") || spec.contains("tolerance_pct")) && requirement.op != Op::equal)
    problems.push_back({path, "a tolerance only applies to \"==\""});
  return requirement;
}

bool meets(const Requirement& requirement, double measured, double reference)
{
  if (!std::isfinite(measured))
    return false;
  switch (requirement.op) {
  case Op::less: return measured < reference;
  case Op::less_equal: return measured <= reference;
  case Op::greater: return measured > reference;
  case Op::greater_equal: return measured >= reference;
  case Op::between: return measured >= requirement.value && measured <= requirement.high;
  case Op::equal: {
    // Both slacks add up: an absolute one for figures near zero, a relative one for the rest.
    double slack = requirement.tolerance + std::abs(reference) * requirement.tolerance_pct / 100;
    return std::abs(measured - reference) <= slack;
  }
  }
  return false;
}

std::string format_number(double value)
{
  char text[64];
  if (!std::isfinite(value))
    return std::isnan(value) ? "nan" : (value > 0 ? "inf" : "-inf");
  if (value == std::floor(value) && std::abs(value) < 1e15)
    std::snprintf(text, sizeof text, "%.0f", value);
  else if (std::abs(value) >= 1e4)
    std::snprintf(text, sizeof text, "%.1f", value);
  else
    std::snprintf(text, sizeof text, "%.4g", value);
  return text;
}

std::string describe(const Requirement& requirement, double reference, const std::string& unit)
{
  std::string suffix = unit.empty() ? "" : " " + unit;
  std::string source = requirement.theory.empty() ? "" : " (theory: " + requirement.theory + ")";
  switch (requirement.op) {
  case Op::between:
    return "between " + format_number(requirement.value) + " and " + format_number(requirement.high) + suffix;
  case Op::equal: {
    std::string text = "== " + format_number(reference) + suffix;
    if (requirement.tolerance_pct > 0)
      text += " ± " + format_number(requirement.tolerance_pct) + "%";
    if (requirement.tolerance > 0)
      text += " ± " + format_number(requirement.tolerance) + suffix;
    return text + source;
  }
  default:
    return std::string(op_symbol(requirement.op)) + " " + format_number(reference) + suffix + source;
  }
}

}  // namespace archlab::grading
