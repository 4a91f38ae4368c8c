// Parameters are described once, as data (name, unit, default, meaning), and that description drives
// validation of models, `archlab explain` and docs/components.md.
#pragma once

#include "sim/core/problems.hpp"

#include <cstdint>
#include <filesystem>
#include <limits>
#include <optional>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

namespace archlab {

enum class ParamKind {
  number,          // a real number
  integer,         // a whole number
  boolean,
  text,
  choice,          // one string out of `choices`
  distribution,    // see distribution.hpp; a plain number means a constant
  reference,       // the id of another component
  reference_list,  // ids of other components
  number_list,
  text_list,
  number_map,      // {"name": number, ...}
  object,          // nested parameters (`fields`)
  object_list,     // a list of objects with `fields`
  object_map,      // {"name": {fields}, ...}
};

// How a reference is drawn and analysed: the kind of interaction it stands for.
enum class Interaction { none, request, sync_call, async_message, polling, forward };
const char* interaction_name(Interaction interaction);

struct ParamSpec {
  std::string name;
  ParamKind kind = ParamKind::number;
  std::string unit;                 // "ms", "s", "per s", "bytes"; empty for counts and names
  nlohmann::json default_value;     // null: no default
  std::string meaning;
  bool is_required = false;
  double min = -std::numeric_limits<double>::infinity();
  double max = std::numeric_limits<double>::infinity();
  bool is_min_exclusive = false;
  std::vector<std::string> choices;
  std::vector<ParamSpec> fields;
  Interaction interaction = Interaction::none;
  bool is_absent_unless_given = false;  // object: a section left out stays out (a feature switched off)
  // The field names an operation of the component referenced beside it: the object's other fields are
  // that operation's arguments, checked against the target's type once references are resolved
  // (model_checks.hpp), not here.
  bool takes_operation_arguments = false;
  // A reference whose holder has no `operation` beside it: the operation the component calls on it
  // (empty: the interaction's own, a request for a call).
  std::string calls_operation;

  ParamSpec& required() { is_required = true; return *this; }
  ParamSpec& at_least(double value) { min = value; return *this; }
  ParamSpec& above(double value) { min = value; is_min_exclusive = true; return *this; }
  ParamSpec& at_most(double value) { max = value; return *this; }
  ParamSpec& with_default(nlohmann::json value) { default_value = std::move(value); return *this; }
  ParamSpec& absent_unless_given() { is_absent_unless_given = true; return *this; }
  ParamSpec& calling(std::string operation) { calls_operation = std::move(operation); return *this; }
};

// The largest value an integer parameter takes unless its spec says otherwise (at_most): it fits an
// `int` wherever the simulator stores one, and is far beyond any sensible count of instances,
// workers, places or attempts.
constexpr double default_integer_max = 1'000'000'000;

ParamSpec number_param(std::string name, std::string unit, nlohmann::json default_value, std::string meaning);
ParamSpec integer_param(std::string name, nlohmann::json default_value, std::string meaning);
ParamSpec boolean_param(std::string name, bool default_value, std::string meaning);
ParamSpec text_param(std::string name, std::string meaning);
ParamSpec choice_param(std::string name, std::vector<std::string> choices, std::string default_value, std::string meaning);
ParamSpec distribution_param(std::string name, std::string unit, nlohmann::json default_value, std::string meaning);
ParamSpec reference_param(std::string name, Interaction interaction, std::string meaning);
// `operation`: a name the target's type declares (default `request`); the call's other fields are its arguments.
ParamSpec operation_param(std::string meaning);
ParamSpec reference_list_param(std::string name, Interaction interaction, std::string meaning);
ParamSpec text_list_param(std::string name, std::string meaning);
ParamSpec number_list_param(std::string name, std::string unit, std::string meaning);
ParamSpec number_map_param(std::string name, std::string unit, std::string meaning);
ParamSpec free_object_param(std::string name, std::string meaning);  // any keys
ParamSpec object_param(std::string name, std::vector<ParamSpec> fields, std::string meaning);
ParamSpec object_list_param(std::string name, std::vector<ParamSpec> fields, std::string meaning);
ParamSpec object_map_param(std::string name, std::vector<ParamSpec> fields, std::string meaning);

struct ValidationContext {
  std::set<std::string> component_ids;   // what references may name
  std::filesystem::path model_dir;       // where empirical sample files are read from
  std::vector<Problem> problems;
};

// Checks `value` against `specs` and returns it with defaults filled in. Unknown keys get a
// "did you mean" when a known name is close.
nlohmann::json validate_fields(const nlohmann::json& value, const std::vector<ParamSpec>& specs, const std::string& path,
                               ValidationContext& context);

// Checks one value against one spec (any kind); returns it with defaults filled in.
nlohmann::json validate_param(const nlohmann::json& value, const ParamSpec& spec, const std::string& path, ValidationContext& context);

// The one check every integer goes through: a JSON number that is whole and within the spec's
// [min, max], compared before any conversion (so 1e300 or 2^64 is refused, never truncated). Returns
// the number, or nothing after adding a problem naming the limit.
std::optional<std::int64_t> whole_number_in_range(const nlohmann::json& value, const ParamSpec& spec, const std::string& path,
                                                  std::vector<Problem>& problems);
std::string format_limit(double limit);  // 1000000000, not 1e+09

std::string closest_name(const std::string& wrong, const std::vector<std::string>& names);  // "" when none is close
std::string describe_kind(const ParamSpec& spec);  // "number (ms)", "distribution (ms)", "component id", ...

}  // namespace archlab
