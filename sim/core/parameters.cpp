#include "sim/core/parameters.hpp"

#include "sim/core/distribution.hpp"
#include "sim/core/json_io.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace archlab {

const char* interaction_name(Interaction interaction)
{
  switch (interaction) {
    case Interaction::none: return "none";
    case Interaction::request: return "request";
    case Interaction::sync_call: return "sync_call";
    case Interaction::async_message: return "async_message";
    case Interaction::polling: return "polling";
    case Interaction::forward: return "forward";
  }
  return "?";
}

namespace {
ParamSpec make(std::string name, ParamKind kind, std::string unit, nlohmann::json default_value, std::string meaning)
{
  ParamSpec spec;
  spec.name = std::move(name);
  spec.kind = kind;
  spec.unit = std::move(unit);
  spec.default_value = std::move(default_value);
  spec.meaning = std::move(meaning);
  return spec;
}

std::size_t edit_distance(const std::string& a, const std::string& b)
{
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j)
    row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

bool check_range(double number, const ParamSpec& spec, const std::string& path, std::vector<Problem>& problems)
{
  if (!std::isfinite(number))
    problems.push_back({path, "must be a finite number"});
  else if (spec.is_min_exclusive && !(number > spec.min))
    problems.push_back({path, "must be > " + format_limit(spec.min)});
  else if (!spec.is_min_exclusive && number < spec.min)
    problems.push_back({path, "must be >= " + format_limit(spec.min)});
  else if (number > spec.max)
    problems.push_back({path, "must be <= " + format_limit(spec.max) + (spec.kind == ParamKind::integer ? " (the most this parameter takes)" : "")});
  else
    return true;
  return false;
}

void check_reference(const nlohmann::json& value, const std::string& path, ValidationContext& context)
{
  if (!value.is_string()) {
    context.problems.push_back({path, "must be a component id (a string)"});
    return;
  }
  auto id = value.get<std::string>();
  if (context.component_ids.count(id))
    return;
  std::vector<std::string> ids(context.component_ids.begin(), context.component_ids.end());
  auto hint = closest_name(id, ids);
  context.problems.push_back({path, "no component named '" + printable_name(id) + "'" + (hint.empty() ? "" : " (did you mean '" + hint + "'?)")});
}

nlohmann::json validate_value(const nlohmann::json& value, const ParamSpec& spec, const std::string& path, ValidationContext& context)
{
  switch (spec.kind) {
    case ParamKind::number:
      if (!value.is_number())
        context.problems.push_back({path, "must be a number"});
      else
        check_range(value.get<double>(), spec, path, context.problems);
      return value;
    case ParamKind::integer: {
      auto number = whole_number_in_range(value, spec, path, context.problems);
      return number ? nlohmann::json(*number) : value;
    }
    case ParamKind::boolean:
      if (!value.is_boolean())
        context.problems.push_back({path, "must be true or false"});
      return value;
    case ParamKind::text:
      if (!value.is_string())
        context.problems.push_back({path, "must be a string"});
      return value;
    case ParamKind::choice: {
      bool known = value.is_string() && std::count(spec.choices.begin(), spec.choices.end(), value.get<std::string>());
      if (!known) {
        std::string list;
        for (const auto& choice : spec.choices)
          list += (list.empty() ? "" : ", ") + choice;
        std::string hint = value.is_string() ? closest_name(value.get<std::string>(), spec.choices) : "";
        context.problems.push_back({path, "must be one of: " + list + (hint.empty() ? "" : " (did you mean '" + hint + "'?)")});
      }
      return value;
    }
    case ParamKind::distribution:
      Distribution::parse(value, path, context.model_dir, context.problems);
      return value;
    case ParamKind::reference:
      check_reference(value, path, context);
      return value;
    case ParamKind::reference_list:
      if (!value.is_array())
        context.problems.push_back({path, "must be a list of component ids"});
      for (std::size_t i = 0; value.is_array() && i < value.size(); ++i)
        check_reference(value[i], join_path(path, i), context);
      return value;
    case ParamKind::number_list:
      if (!value.is_array())
        context.problems.push_back({path, "must be a list of numbers"});
      for (std::size_t i = 0; value.is_array() && i < value.size(); ++i)
        validate_value(value[i], make(spec.name, ParamKind::number, spec.unit, nullptr, "").at_least(spec.min), join_path(path, i), context);
      return value;
    case ParamKind::text_list:
      if (!value.is_array() || std::any_of(value.begin(), value.end(), [](const nlohmann::json& v) { return !v.is_string(); }))
        context.problems.push_back({path, "must be a list of strings"});
      return value;
    case ParamKind::number_map:
      if (!value.is_object())
        context.problems.push_back({path, "must be an object of names to numbers"});
      for (auto it = value.begin(); value.is_object() && it != value.end(); ++it)
        validate_value(it.value(), make(spec.name, ParamKind::number, spec.unit, nullptr, "").at_least(spec.min), join_path(path, it.key()), context);
      return value;
    case ParamKind::object:
      if (spec.fields.empty()) {  // free-form, such as a scenario's "set"
        if (!value.is_object())
          context.problems.push_back({path, "must be an object"});
        return value;
      }
      return validate_fields(value, spec.fields, path, context);
    case ParamKind::object_list: {
      if (!value.is_array()) {
        context.problems.push_back({path, "must be a list of objects"});
        return value;
      }
      nlohmann::json resolved = nlohmann::json::array();
      for (std::size_t i = 0; i < value.size(); ++i)
        resolved.push_back(validate_fields(value[i], spec.fields, join_path(path, i), context));
      return resolved;
    }
    case ParamKind::object_map: {
      if (!value.is_object()) {
        context.problems.push_back({path, "must be an object of names to objects"});
        return value;
      }
      nlohmann::json resolved = nlohmann::json::object();
      for (auto it = value.begin(); it != value.end(); ++it)
        resolved[it.key()] = validate_fields(it.value(), spec.fields, join_path(path, it.key()), context);
      return resolved;
    }
  }
  return value;
}
}  // namespace

ParamSpec number_param(std::string name, std::string unit, nlohmann::json default_value, std::string meaning)
{
  return make(std::move(name), ParamKind::number, std::move(unit), std::move(default_value), std::move(meaning));
}
ParamSpec integer_param(std::string name, nlohmann::json default_value, std::string meaning)
{
  return make(std::move(name), ParamKind::integer, "", std::move(default_value), std::move(meaning)).at_most(default_integer_max);
}
ParamSpec boolean_param(std::string name, bool default_value, std::string meaning)
{
  return make(std::move(name), ParamKind::boolean, "", default_value, std::move(meaning));
}
ParamSpec text_param(std::string name, std::string meaning)
{
  return make(std::move(name), ParamKind::text, "", nullptr, std::move(meaning));
}
ParamSpec choice_param(std::string name, std::vector<std::string> choices, std::string default_value, std::string meaning)
{
  auto spec = make(std::move(name), ParamKind::choice, "", std::move(default_value), std::move(meaning));
  spec.choices = std::move(choices);
  return spec;
}
ParamSpec distribution_param(std::string name, std::string unit, nlohmann::json default_value, std::string meaning)
{
  return make(std::move(name), ParamKind::distribution, std::move(unit), std::move(default_value), std::move(meaning));
}
ParamSpec reference_param(std::string name, Interaction interaction, std::string meaning)
{
  auto spec = make(std::move(name), ParamKind::reference, "", nullptr, std::move(meaning));
  spec.interaction = interaction;
  return spec;
}
ParamSpec operation_param(std::string meaning)
{
  auto spec = make("operation", ParamKind::text, "", "request", std::move(meaning));
  spec.takes_operation_arguments = true;
  return spec;
}
ParamSpec reference_list_param(std::string name, Interaction interaction, std::string meaning)
{
  auto spec = make(std::move(name), ParamKind::reference_list, "", nullptr, std::move(meaning));
  spec.interaction = interaction;
  return spec;
}
ParamSpec free_object_param(std::string name, std::string meaning)
{
  return make(std::move(name), ParamKind::object, "", nullptr, std::move(meaning));
}
ParamSpec number_list_param(std::string name, std::string unit, std::string meaning)
{
  return make(std::move(name), ParamKind::number_list, std::move(unit), nullptr, std::move(meaning));
}
ParamSpec text_list_param(std::string name, std::string meaning)
{
  return make(std::move(name), ParamKind::text_list, "", nullptr, std::move(meaning));
}
ParamSpec number_map_param(std::string name, std::string unit, std::string meaning)
{
  return make(std::move(name), ParamKind::number_map, std::move(unit), nullptr, std::move(meaning));
}
ParamSpec object_param(std::string name, std::vector<ParamSpec> fields, std::string meaning)
{
  auto spec = make(std::move(name), ParamKind::object, "", nullptr, std::move(meaning));
  spec.fields = std::move(fields);
  return spec;
}
ParamSpec object_list_param(std::string name, std::vector<ParamSpec> fields, std::string meaning)
{
  auto spec = make(std::move(name), ParamKind::object_list, "", nullptr, std::move(meaning));
  spec.fields = std::move(fields);
  return spec;
}
ParamSpec object_map_param(std::string name, std::vector<ParamSpec> fields, std::string meaning)
{
  auto spec = make(std::move(name), ParamKind::object_map, "", nullptr, std::move(meaning));
  spec.fields = std::move(fields);
  return spec;
}

nlohmann::json validate_param(const nlohmann::json& value, const ParamSpec& spec, const std::string& path, ValidationContext& context)
{
  return validate_value(value, spec, path, context);
}

std::optional<std::int64_t> whole_number_in_range(const nlohmann::json& value, const ParamSpec& spec, const std::string& path,
                                                  std::vector<Problem>& problems)
{
  if (!value.is_number()) {
    problems.push_back({path, "must be a whole number"});
    return std::nullopt;
  }
  // Every integer limit is at most 2^53, so it is exact as a double, and a JSON integer beyond it is
  // out of range however it is compared; a double is compared as a double, before it is converted.
  double number = value.is_number_unsigned() ? static_cast<double>(value.get<std::uint64_t>())
                  : value.is_number_integer() ? static_cast<double>(value.get<std::int64_t>())
                                              : value.get<double>();
  if (value.is_number_float() && std::isfinite(number) && std::floor(number) != number) {
    problems.push_back({path, "must be a whole number"});
    return std::nullopt;
  }
  if (!check_range(number, spec, path, problems))
    return std::nullopt;
  if (value.is_number_float())
    return static_cast<std::int64_t>(number);
  return value.is_number_unsigned() ? static_cast<std::int64_t>(value.get<std::uint64_t>()) : value.get<std::int64_t>();
}

std::string format_limit(double limit)
{
  if (std::isfinite(limit) && std::floor(limit) == limit && std::fabs(limit) <= 9007199254740992.0)
    return std::to_string(static_cast<std::int64_t>(limit));
  std::ostringstream out;
  out << limit;
  return out.str();
}

std::string closest_name(const std::string& wrong, const std::vector<std::string>& names)
{
  // The edit distance is quadratic in the lengths: a hint is for a typo in a short name, not for a
  // 100,000-character id.
  constexpr std::size_t longest_hinted = 64;
  std::string best;
  if (wrong.size() > longest_hinted)
    return best;
  std::size_t best_distance = std::max<std::size_t>(2, wrong.size() / 3) + 1;
  for (const auto& name : names) {
    auto length_gap = name.size() > wrong.size() ? name.size() - wrong.size() : wrong.size() - name.size();
    if (name.size() > longest_hinted || length_gap >= best_distance)
      continue;  // the distance is at least the gap in length
    auto distance = edit_distance(wrong, name);
    if (distance < best_distance) {
      best = name;
      best_distance = distance;
    }
  }
  return best;
}

nlohmann::json validate_fields(const nlohmann::json& value, const std::vector<ParamSpec>& specs, const std::string& path,
                               ValidationContext& context)
{
  if (!value.is_object()) {
    context.problems.push_back({path, "must be an object"});
    return value;
  }
  std::vector<std::string> names;
  for (const auto& spec : specs)
    names.push_back(spec.name);
  nlohmann::json resolved = nlohmann::json::object();
  bool has_operation_arguments = std::any_of(specs.begin(), specs.end(), [](const ParamSpec& s) { return s.takes_operation_arguments; });
  for (auto it = value.begin(); it != value.end(); ++it) {
    auto spec = std::find_if(specs.begin(), specs.end(), [&](const ParamSpec& s) { return s.name == it.key(); });
    if (spec == specs.end() && has_operation_arguments) {
      resolved[it.key()] = it.value();  // the operation's argument: its target's type checks it
      continue;
    }
    if (spec == specs.end()) {
      auto hint = closest_name(it.key(), names);
      context.problems.push_back({join_path(path, printable_name(it.key())), "unknown parameter" + (hint.empty() ? "" : " (did you mean '" + hint + "'?)")});
      continue;
    }
    resolved[it.key()] = validate_value(it.value(), *spec, join_path(path, it.key()), context);
  }
  for (const auto& spec : specs) {
    if (resolved.contains(spec.name))
      continue;
    if (spec.is_required)
      context.problems.push_back({join_path(path, spec.name), "is required (" + spec.meaning + ")"});
    else if (!spec.default_value.is_null())
      resolved[spec.name] = spec.default_value;
    else if (spec.kind == ParamKind::object && !spec.fields.empty() && !spec.is_absent_unless_given)  // a section left out takes its fields' defaults
      resolved[spec.name] = validate_fields(nlohmann::json::object(), spec.fields, join_path(path, spec.name), context);
  }
  return resolved;
}

std::string describe_kind(const ParamSpec& spec)
{
  std::string unit = spec.unit.empty() ? "" : " (" + spec.unit + ")";
  switch (spec.kind) {
    case ParamKind::number: return "number" + unit;
    case ParamKind::integer: return "integer " + format_limit(spec.min) + ".." + format_limit(spec.max);
    case ParamKind::boolean: return "true/false";
    case ParamKind::text: return "text";
    case ParamKind::choice: {
      std::string list;
      for (const auto& choice : spec.choices)
        list += (list.empty() ? "" : "|") + choice;
      return list;
    }
    case ParamKind::distribution: return "distribution" + unit;
    case ParamKind::reference: return "component id";
    case ParamKind::reference_list: return "list of component ids";
    case ParamKind::number_list: return "list of numbers" + unit;
    case ParamKind::text_list: return "list of strings";
    case ParamKind::number_map: return "name → number" + unit;
    case ParamKind::object: return "object";
    case ParamKind::object_list: return "list of objects";
    case ParamKind::object_map: return "name → object";
  }
  return "?";
}

}  // namespace archlab
