// Checks of a resolved model as a whole, after every component has passed its own: each reference
// names a type that takes what it asks (the operations each type declares in the registry), no
// synchronous call or load-balancer / gateway target comes back to where it started, and the model
// stays within the sizes a run can afford. Run by model_from_json, so `validate` and `run` agree.
#pragma once

#include "sim/core/call.hpp"
#include "sim/core/parameters.hpp"
#include "sim/core/problems.hpp"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace archlab {

struct ComponentType;
struct OperationSpec;

// Sizes past which a model is refused: far above the course's models, labs and benchmarks (the
// largest sends 10 M requests; the code runner runs a simulated day), well below what exhausts memory.
namespace model_limits {
inline constexpr std::size_t components = 1000;
inline constexpr double requests = 1e9;              // sent in one run, given or expected (rate × duration)
inline constexpr double duration_s = 1e7;            // about 116 days
inline constexpr double timeseries_interval_s = 1e-3;
inline constexpr double timeseries_rows = 1e6;
}  // namespace model_limits

// One reference of one component: where it is written and what it asks of the component it names.
struct Reference {
  std::string from;
  std::string to;
  std::string path;                   // components.a.calls[0].target
  std::string field;                  // calls[].target: the key of a ReferenceRule
  Interaction interaction = Interaction::none;
  std::optional<Operation> operation; // none for a plain pointer (a fault's target, a scaling signal's queue)
  // The operation's arguments: the fields of the object holding the reference that its own specs do
  // not name (checked against what the target's type declares for the operation), and where they are.
  nlohmann::json arguments = nlohmann::json::object();
  std::string holder_path;
  std::vector<std::string> holder_fields;  // what the holding object's own specs name (for "did you mean")
};

// The fields of a call that its own specs do not name: the arguments of its operation.
nlohmann::json operation_arguments(const nlohmann::json& call, const std::vector<ParamSpec>& call_specs);
void check_arguments(const Reference& reference, const OperationSpec& operation, const std::string& target_type_name,
                     std::vector<Problem>& problems);

std::vector<Reference> references_of(const std::string& id, const nlohmann::json& params, const std::vector<ParamSpec>& specs);

// Each reference against the type of the component it names (`components`: id → resolved parameters):
// that type must take the reference's operation with the arguments given, and be one the field's
// ReferenceRule allows.
void check_reference_types(const std::vector<Reference>& references, const nlohmann::json& components, std::vector<Problem>& problems);

// Requests and synchronous calls (what a caller waits for) that come back to a component they left:
// "components.a.calls[0].target: a → b → a is a call cycle", once per cycle.
void check_call_cycles(const std::vector<Reference>& references, std::vector<Problem>& problems);

void check_model_sizes(const nlohmann::json& document, std::vector<Problem>& problems);

// All of the above, then each type's check_with_model. `document` is resolved and otherwise valid.
void check_model(const nlohmann::json& document, std::vector<Problem>& problems);

}  // namespace archlab
