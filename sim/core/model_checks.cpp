#include "sim/core/model_checks.hpp"

#include "sim/core/json_io.hpp"
#include "sim/core/registry.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <sstream>

namespace archlab {

namespace {
std::string format_count(double value)
{
  std::ostringstream out;
  out.precision(12);
  out << value;
  auto text = out.str();
  if (text.find_first_not_of("0123456789") != std::string::npos)
    return text;
  std::string grouped;  // 1000000 → 1,000,000
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (i > 0 && (text.size() - i) % 3 == 0)
      grouped += ',';
    grouped += text[i];
  }
  return grouped;
}

// A call's own "operation" field when it has one; otherwise what the kind of interaction implies
// (a queue is polled with `receive` and sent messages with `send`, whichever type declares them).
std::optional<Operation> operation_of(const nlohmann::json& holder, const ParamSpec& reference)
{
  if (holder.is_object() && holder.contains("operation") && holder.at("operation").is_string())
    return Operation::named(holder.at("operation").get<std::string>());
  if (!reference.calls_operation.empty())
    return Operation::named(reference.calls_operation);
  switch (reference.interaction) {
    case Interaction::request:
    case Interaction::sync_call:
    case Interaction::forward: return request_operation;
    case Interaction::polling: return Operation::named("receive");
    case Interaction::async_message: return Operation::named("send");
    case Interaction::none: return std::nullopt;
  }
  return std::nullopt;
}

struct ReferenceCollector {
  const std::string& from;
  std::vector<Reference>& found;
  nlohmann::json arguments = nlohmann::json::object();  // of the innermost object that names an operation
  std::string holder_path;
  std::vector<std::string> holder_fields;

  void fields(const nlohmann::json& object, const std::vector<ParamSpec>& specs, const std::string& path, const std::string& field)
  {
    if (!object.is_object())
      return;
    auto outer_arguments = arguments;
    auto outer_holder_path = holder_path;
    auto outer_holder_fields = holder_fields;
    if (std::any_of(specs.begin(), specs.end(), [](const ParamSpec& spec) { return spec.takes_operation_arguments; })) {
      arguments = operation_arguments(object, specs);
      holder_path = path;
      holder_fields.clear();
      for (const auto& spec : specs)
        holder_fields.push_back(spec.name);
    }
    for (const auto& spec : specs)
      if (object.contains(spec.name))
        value(object.at(spec.name), spec, object, join_path(path, spec.name), field.empty() ? spec.name : field + "." + spec.name);
    arguments = std::move(outer_arguments);
    holder_path = std::move(outer_holder_path);
    holder_fields = std::move(outer_holder_fields);
  }

  void value(const nlohmann::json& value, const ParamSpec& spec, const nlohmann::json& holder, const std::string& path, const std::string& field)
  {
    auto add = [&](const nlohmann::json& id, const std::string& at, const std::string& key) {
      if (id.is_string())
        found.push_back({from, id.get<std::string>(), at, key, spec.interaction, operation_of(holder, spec), arguments, holder_path,
                         holder_fields});
    };
    switch (spec.kind) {
      case ParamKind::reference: add(value, path, field); break;
      case ParamKind::reference_list:
        for (std::size_t i = 0; value.is_array() && i < value.size(); ++i)
          add(value[i], join_path(path, i), field + "[]");
        break;
      case ParamKind::object: fields(value, spec.fields, path, field); break;
      case ParamKind::object_list:
        for (std::size_t i = 0; value.is_array() && i < value.size(); ++i)
          fields(value[i], spec.fields, join_path(path, i), field + "[]");
        break;
      case ParamKind::object_map:
        for (auto it = value.begin(); value.is_object() && it != value.end(); ++it)
          fields(it.value(), spec.fields, join_path(path, it.key()), field + ".*");
        break;
      default: break;
    }
  }
};

std::vector<ParamSpec> specs_of(const ComponentType& type)
{
  auto specs = common_component_params();
  specs.insert(specs.end(), type.params.begin(), type.params.end());
  return specs;
}

std::string joined(const std::vector<std::string>& names, const char* separator)
{
  std::string list;
  for (const auto& name : names)
    list += (list.empty() ? "" : separator) + name;
  return list;
}

bool is_waited_for(Interaction interaction) { return interaction == Interaction::request || interaction == Interaction::sync_call; }
}  // namespace

std::string argument_list(const OperationSpec& operation)
{
  std::string list;
  for (const auto& argument : operation.arguments)
    list += (list.empty() ? "" : ", ") + argument.name;
  return list;
}

nlohmann::json operation_arguments(const nlohmann::json& call, const std::vector<ParamSpec>& call_specs)
{
  auto arguments = nlohmann::json::object();
  for (auto it = call.begin(); call.is_object() && it != call.end(); ++it)
    if (std::none_of(call_specs.begin(), call_specs.end(), [&](const ParamSpec& spec) { return spec.name == it.key(); }))
      arguments[it.key()] = it.value();
  return arguments;
}

void check_arguments(const Reference& reference, const OperationSpec& operation, const std::string& target_type_name,
                     std::vector<Problem>& problems)
{
  auto names = reference.holder_fields;
  for (const auto& argument : operation.arguments)
    names.push_back(argument.name);
  for (auto it = reference.arguments.begin(); it != reference.arguments.end(); ++it) {
    if (std::find_if(operation.arguments.begin(), operation.arguments.end(), [&](const ParamSpec& spec) { return spec.name == it.key(); }) !=
        operation.arguments.end())
      continue;
    auto hint = closest_name(it.key(), names);
    problems.push_back({join_path(reference.holder_path, printable_name(it.key())),
                        "unknown parameter" + (hint.empty() ? "" : " (did you mean '" + hint + "'?)") + " ('" + operation.name + "' on a " +
                            target_type_name + " takes " + (operation.arguments.empty() ? std::string("no arguments") : "the arguments " + argument_list(operation)) + ")"});
  }
  if (operation.arguments.empty())
    return;
  auto known = nlohmann::json::object();
  for (auto it = reference.arguments.begin(); it != reference.arguments.end(); ++it)
    if (std::find_if(operation.arguments.begin(), operation.arguments.end(), [&](const ParamSpec& spec) { return spec.name == it.key(); }) !=
        operation.arguments.end())
      known[it.key()] = it.value();
  ValidationContext context;
  validate_fields(known, operation.arguments, reference.holder_path, context);
  for (auto& problem : context.problems)
    problems.push_back(std::move(problem));
}

std::vector<Reference> references_of(const std::string& id, const nlohmann::json& params, const std::vector<ParamSpec>& specs)
{
  std::vector<Reference> found;
  ReferenceCollector{id, found}.fields(params, specs, join_path("components", id), "");
  return found;
}

void check_reference_types(const std::vector<Reference>& references, const nlohmann::json& components, std::vector<Problem>& problems)
{
  for (const auto& reference : references) {
    if (!components.contains(reference.to) || !components.contains(reference.from))
      continue;  // an unknown id is reported by the parameter's own check
    const auto target_type_name = components.at(reference.to).at("type").get<std::string>();
    const auto* target_type = find_component_type(target_type_name);
    const auto* source_type = find_component_type(components.at(reference.from).at("type").get<std::string>());
    if (!target_type || !source_type)
      continue;
    auto rule = std::find_if(source_type->reference_rules.begin(), source_type->reference_rules.end(),
                             [&](const ReferenceRule& r) { return r.field == reference.field; });
    auto names = "'" + reference.to + "' is a " + target_type_name;
    if (rule != source_type->reference_rules.end() &&
        std::find(rule->target_types.begin(), rule->target_types.end(), target_type_name) == rule->target_types.end())
      problems.push_back({reference.path, names + "; it must name a " + joined(rule->target_types, " or a ")});
    else if (reference.operation && !accepts(*target_type, *reference.operation))
      problems.push_back({reference.path, names + ", which does not take '" + printable_name(reference.operation->name()) +
                                              "' (a " + target_type_name + " takes: " + operation_list(*target_type) + ")"});
    else if (reference.operation)
      check_arguments(reference, *find_operation(*target_type, reference.operation->name()), target_type_name, problems);
  }
}

void check_call_cycles(const std::vector<Reference>& references, std::vector<Problem>& problems)
{
  std::map<std::string, std::vector<const Reference*>> calls_from;
  for (const auto& reference : references)
    if (is_waited_for(reference.interaction))
      calls_from[reference.from].push_back(&reference);
  // Depth-first without recursion, so that a chain of any length cannot overflow the stack. A call
  // to a component still on the path closes a cycle; the cycle is reported at its first call.
  enum class Mark { unseen, on_path, done };
  std::map<std::string, Mark> marks;
  std::set<std::string> reported;
  for (const auto& entry : calls_from) {
    const auto& start = entry.first;
    if (marks[start] != Mark::unseen)
      continue;
    struct Frame {
      std::string id;
      std::size_t next_call = 0;
      const Reference* entered_by = nullptr;
    };
    std::vector<Frame> path{{start}};
    marks[start] = Mark::on_path;
    while (!path.empty()) {
      auto& frame = path.back();
      const auto& calls = calls_from[frame.id];
      if (frame.next_call == calls.size()) {
        marks[frame.id] = Mark::done;
        path.pop_back();
        continue;
      }
      const Reference* call = calls[frame.next_call++];
      auto mark = marks[call->to];
      if (mark == Mark::unseen) {
        marks[call->to] = Mark::on_path;
        path.push_back({call->to, 0, call});
        continue;
      }
      if (mark != Mark::on_path)
        continue;
      auto first = std::find_if(path.begin(), path.end(), [&](const Frame& f) { return f.id == call->to; });
      std::string cycle;
      for (auto it = first; it != path.end(); ++it)
        cycle += it->id + " → ";
      cycle += call->to;
      if (!reported.insert(cycle).second)
        continue;
      const Reference* first_call = first + 1 == path.end() ? call : (first + 1)->entered_by;
      problems.push_back({first_call->path, cycle + " is a call cycle: each waits for the next, so a request never finishes"});
    }
  }
}

void check_model_sizes(const nlohmann::json& document, std::vector<Problem>& problems)
{
  const auto& components = document.at("components");
  if (components.size() > model_limits::components)
    problems.push_back({"components", "has " + format_count(static_cast<double>(components.size())) + " components; a model may have at most " +
                                          format_count(model_limits::components)});
  const auto& run = document.at("run");
  if (run.contains("requests") && run.at("requests").get<double>() > model_limits::requests)
    problems.push_back({"run.requests", "must be at most " + format_count(model_limits::requests) + " (a run's limit)"});
  double interval_s = run.value("timeseries_interval_s", 10.0);
  if (interval_s < model_limits::timeseries_interval_s)
    problems.push_back({"run.timeseries_interval_s", "must be at least 0.001 s"});
  if (run.contains("duration_s")) {
    double duration_s = run.at("duration_s").get<double>();
    if (duration_s > model_limits::duration_s)
      problems.push_back({"run.duration_s", "must be at most " + format_count(model_limits::duration_s) + " s (about 116 days; a run's limit)"});
    else if (interval_s >= model_limits::timeseries_interval_s && duration_s / interval_s > model_limits::timeseries_rows)
      problems.push_back({"run.timeseries_interval_s", "makes " + format_count(std::ceil(duration_s / interval_s)) + " rows of timeseries.csv; at most " +
                                                           format_count(model_limits::timeseries_rows) + " (duration_s / timeseries_interval_s)"});
  }
}

void check_model(const nlohmann::json& document, std::vector<Problem>& problems)
{
  const auto& components = document.at("components");
  check_model_sizes(document, problems);
  if (!problems.empty())
    return;  // past the size limits, the walks below are not worth their cost
  std::vector<Reference> references;
  for (auto& [id, params] : components.items())
    if (const auto* type = find_component_type(params.at("type").get<std::string>())) {
      auto found = references_of(id, params, specs_of(*type));
      references.insert(references.end(), found.begin(), found.end());
    }
  check_reference_types(references, components, problems);
  check_call_cycles(references, problems);
  for (auto& [id, params] : components.items())
    if (const auto* type = find_component_type(params.at("type").get<std::string>()); type && type->check_with_model)
      type->check_with_model(params, join_path("components", id), document, problems);
}

}  // namespace archlab
