#include "sim/grading/checks.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <optional>

namespace archlab::grading {

namespace {
std::optional<double> number_at(const nlohmann::json& document, const std::string& pointer)
{
  try {
    const auto& value = document.at(nlohmann::json::json_pointer(pointer));
    if (value.is_number())
      return value.get<double>();
  } catch (const nlohmann::json::exception&) {
  }
  return std::nullopt;
}

// "1 job", "2 jobs": a unit that is a plural word is said in the singular for exactly one.
std::string with_unit(double value, const std::string& unit)
{
  bool is_plural_word = unit.size() > 2 && unit.back() == 's' &&
                        std::all_of(unit.begin(), unit.end(), [](char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; });
  std::string said = value == 1 && is_plural_word ? unit.substr(0, unit.size() - 1) : unit;
  return format_number(value) + (said.empty() ? "" : " " + said);
}

CheckResult scored(const Check& check, bool passed, std::string measured, std::string required, std::string message)
{
  CheckResult result = zero_result(check, std::move(message));
  result.passed = passed;
  result.points = passed ? check.points : 0;
  result.measured = std::move(measured);
  result.required = std::move(required);
  return result;
}

// The first component the pointer names ("/components/server/..."), to point a student at a rename.
std::string missing_figure(const std::string& pointer)
{
  std::string text = "the run's summary has no number at " + pointer;
  const std::string prefix = "/components/";
  if (pointer.rfind(prefix, 0) == 0) {
    auto id = pointer.substr(prefix.size(), pointer.find('/', prefix.size()) - prefix.size());
    text += " (does the model still have a component called '" + id + "'?)";
  }
  return text;
}

CheckResult figure(const Check& check, const CheckInputs& inputs)
{
  if (!inputs.run->is_ok)
    return zero_result(check, inputs.run->failure);
  auto measured = number_at(inputs.run->document, check.figure);
  if (!measured)
    return zero_result(check, missing_figure(check.figure));
  double reference = check.require.value;
  if (!check.require.theory.empty()) {
    if (!inputs.theory->is_ok)
      return zero_result(check, "no theory to compare with: " + inputs.theory->failure);
    std::optional<double> theory;
    for (const auto& row : inputs.theory->document.value("figures", nlohmann::json::array()))
      if (row.value("figure", "") == check.require.theory && row.contains("theory") && row.at("theory").is_number())
        theory = row.at("theory").get<double>();
    if (!theory)
      return zero_result(check, "archlab theory gives no figure '" + check.require.theory + "' for this model");
    reference = *theory;
  }
  bool passed = meets(check.require, *measured, reference);
  auto required = describe(check.require, reference, check.unit);
  auto measured_text = with_unit(*measured, check.unit);
  return scored(check, passed, measured_text, required, (passed ? "met: " : "not met: ") + measured_text + ", required " + required);
}

CheckResult theory(const Check& check, const CheckInputs& inputs)
{
  if (!inputs.theory->is_ok)
    return zero_result(check, inputs.theory->failure);
  const auto& document = inputs.theory->document;
  std::string lines;
  int checked = 0, out = 0;
  for (const auto& row : document.value("figures", nlohmann::json::array())) {
    double tolerance = row.value("tolerance", -1.0);
    if (tolerance < 0)
      continue;  // shown by archlab theory, not held to a tolerance
    bool is_points = row.value("error_unit", "") == "points";
    bool passes = row.value("passes", false);
    ++checked;
    out += passes ? 0 : 1;
    std::string unit = is_points ? " pt" : "%";
    lines += std::string(passes ? "  ok   " : "  OUT  ") + row.value("figure", "?") + ": theory " + format_number(row.value("theory", 0.0)) +
             ", simulated " + format_number(row.value("simulated", 0.0)) + ", error " + format_number(row.value("error", 0.0)) + unit +
             " (allowed ±" + format_number(tolerance) + unit + ")\n";
  }
  bool passed = document.value("passes", false) && out == 0 && checked > 0;
  auto measured = std::to_string(checked - out) + " of " + std::to_string(checked) + " figures within tolerance";
  auto required = "every checked figure within tolerance of " + document.value("network", std::string("theory"));
  return scored(check, passed, measured, required, (passed ? "the simulation agrees with theory:\n" : "the simulation strays from theory:\n") + lines);
}

// A parameter by dotted path: "instances", "scaling.launch_time_s", "steps.run.work_ms.mean". In a
// list, a segment picks the element whose "name" it is, else its index, so a lab can pin a step by
// its name whatever order the student put the steps in.
nlohmann::json value_at_path(const nlohmann::json& component, const std::string& path)
{
  const nlohmann::json* node = &component;
  std::size_t start = 0;
  while (start <= path.size()) {
    auto end = path.find('.', start);
    auto segment = path.substr(start, end == std::string::npos ? std::string::npos : end - start);
    const nlohmann::json* next = nullptr;
    if (node->is_object() && node->contains(segment)) {
      next = &node->at(segment);
    } else if (node->is_array()) {
      for (const auto& element : *node)
        if (element.is_object() && element.value("name", nlohmann::json()) == segment)
          next = &element;
      if (!next && !segment.empty() && segment.find_first_not_of("0123456789") == std::string::npos &&
          std::stoul(segment) < node->size())
        next = &node->at(std::stoul(segment));
    }
    if (!next)
      return nlohmann::json();
    node = next;
    if (end == std::string::npos)
      break;
    start = end + 1;
  }
  return *node;
}

double parameter(const nlohmann::json& component, const std::string& name, const CheckInputs& inputs, bool& is_number)
{
  nlohmann::json value = value_at_path(component, name);
  if (value.is_null() && inputs.default_of && component.contains("type") && component.at("type").is_string())
    value = inputs.default_of(component.at("type").get<std::string>(), name);
  is_number = value.is_number();
  return is_number ? value.get<double>() : 0;
}

CheckResult structure(const Check& check, const CheckInputs& inputs)
{
  const auto components = inputs.model->value("components", nlohmann::json::object());
  std::vector<std::string> selected;
  double sum = 0;
  std::vector<std::string> lacking;
  for (auto& [id, component] : components.items()) {
    if (!component.is_object())
      continue;
    if (!check.select_id.empty() && id != check.select_id)
      continue;
    if (!check.select_type.empty() && component.value("type", nlohmann::json()) != check.select_type)
      continue;
    selected.push_back(id);
    double product = 1;
    for (const auto& name : check.sum_of) {
      bool is_number = false;
      product *= parameter(component, name, inputs, is_number);
      if (!is_number)
        return zero_result(check, "components." + id + "." + name + " is not a number");
    }
    sum += product;
    if (check.measure == StructureMeasure::has && value_at_path(component, check.has).is_null())
      lacking.push_back(id);
  }
  std::string what = check.select_type.empty() ? "component" : check.select_type;
  if (!check.select_id.empty())
    what += " '" + check.select_id + "'";
  if (check.measure == StructureMeasure::has) {
    bool passed = !selected.empty() && lacking.empty();
    std::string message = selected.empty() ? "no " + what + " in the model"
                          : lacking.empty() ? "every " + what + " sets " + check.has
                                            : "without " + check.has + ": " + [&] { std::string ids; for (const auto& id : lacking) ids += (ids.empty() ? "" : ", ") + id; return ids; }();
    return scored(check, passed, std::to_string(selected.size() - lacking.size()) + " of " + std::to_string(selected.size()) + " set it",
                  "every " + what + " sets " + check.has, message);
  }
  double measured = check.measure == StructureMeasure::sum ? sum : static_cast<double>(selected.size());
  bool passed = meets(check.require, measured, check.require.value);
  auto required = describe(check.require, check.require.value, check.unit);
  std::string label = check.measure == StructureMeasure::sum ? "sum over each " + what + " of " : "number of " + what + "s";
  for (std::size_t i = 0; i < check.sum_of.size(); ++i)
    label += (i ? " × " : "") + check.sum_of[i];
  auto measured_text = with_unit(measured, check.unit);
  return scored(check, passed, measured_text, required, label + ": " + measured_text + ", required " + required);
}

CheckResult nothing_lost(const Check& check, const CheckInputs& inputs)
{
  if (!inputs.run->is_ok)
    return zero_result(check, inputs.run->failure);
  const auto& summary = inputs.run->document;
  double sent = 0, received = 0;
  if (!check.figure.empty()) {
    auto s = number_at(summary, check.figure), r = number_at(summary, check.received);
    if (!s || !r)
      return zero_result(check, missing_figure(!s ? check.figure : check.received));
    sent = *s;
    received = *r;
  } else {  // every client: what it sent against what came back answered
    const auto clients = summary.value("clients", nlohmann::json::object());  // items() of a temporary would dangle
    for (auto& [id, client] : clients.items()) {
      sent += client.value("sent", 0.0);
      received += client.value("completed", 0.0);
    }
  }
  bool passed = sent > 0 && received == sent;
  if (!check.figure.empty()) {  // two figures: one too many is as wrong as one short (a clip stored twice)
    auto measured = format_number(received) + " at " + check.received + " against " + format_number(sent) + " at " + check.figure;
    std::string gap = received < sent ? format_number(sent - received) + " short" : format_number(received - sent) + " too many";
    return scored(check, passed, measured, "exactly " + format_number(sent), passed ? "one for one" : gap);
  }
  auto measured = format_number(received) + " of " + format_number(sent) + " answered";
  return scored(check, passed, measured, "all " + format_number(sent) + " answered",
                passed ? "nothing lost" : format_number(sent - received) + " requests were not answered (rejected, failed, timed out or lost)");
}
}  // namespace

bool needs_theory(const Check& check) { return check.kind == CheckKind::theory || (check.kind == CheckKind::figure && !check.require.theory.empty()); }
bool needs_run(const Check& check) { return check.kind == CheckKind::figure || check.kind == CheckKind::nothing_lost || check.kind == CheckKind::cost; }

CheckResult zero_result(const Check& check, const std::string& message)
{
  CheckResult result;
  result.id = check.id;
  result.title = check.title;
  result.hint = check.hint;
  result.max_points = check.points;
  result.is_visible = check.is_visible;
  result.message = message;
  return result;
}

CheckResult evaluate_check(const Check& check, const CheckInputs& inputs)
{
  switch (check.kind) {
  case CheckKind::figure:
  case CheckKind::cost: return figure(check, inputs);
  case CheckKind::theory: return theory(check, inputs);
  case CheckKind::structure: return structure(check, inputs);
  case CheckKind::nothing_lost: return nothing_lost(check, inputs);
  }
  return zero_result(check, "unknown kind of check");
}

}  // namespace archlab::grading
