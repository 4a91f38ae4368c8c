#include "sim/core/fault_plan.hpp"

#include "sim/core/json_io.hpp"
#include "sim/core/registry.hpp"

#include <algorithm>

namespace archlab {

const std::vector<FaultAction>& fault_actions()
{
  static const std::vector<FaultAction> actions = {
      {"kill", "the instance stops: work in progress is lost and connections are refused"},
      {"hang", "the instance still accepts work but never finishes it (health checks time out)"},
      {"recover", "undo an earlier fault on the target (or the zone)"},
      {"crash", "a worker process dies when it reaches `step` of a message, `count` times; it restarts"},
      {"slow", "the target answers `latency_factor` times slower (a slow dependency)"},
      {"fail", "the target answers a share `failure_probability` of calls with an error (a failing dependency)"},
      {"zone_outage", "everything placed in `zone` stops (instances spread over zones lose their share)"},
      {"poison", "the next `count` jobs sent to the queue always fail when run"},
      {"never_ending", "the next `count` jobs sent to the queue run for ever unless a time limit stops them"},
      {"deploy", "a rolling update to a new revision: new tasks start, old ones drain and stop, within the target's `deployment` limits"},
      {"invalidate", "a CDN drops every cached copy once the invalidation has spread (its invalidation_s); `count`: the paths billed"},
  };
  return actions;
}

std::vector<ParamSpec> fault_params()
{
  std::vector<std::string> names;
  for (const auto& action : fault_actions())
    names.push_back(action.name);
  return {
      number_param("at_s", "s", nullptr, "when the fault happens, in simulated time").at_least(0).required(),
      choice_param("action", names, "kill", "what happens (archlab explain faults lists each action)"),
      reference_param("target", Interaction::none, "the component hit (every action but zone_outage)"),
      integer_param("instance", -1, "which instance (from 0); -1 means all of them").at_least(-1),
      number_param("for_s", "s", nullptr, "undo the fault automatically after this long").above(0),
      text_param("zone", "zone_outage: the availability zone that goes down"),
      text_param("step", "crash: the name of the worker step at which the process dies"),
      integer_param("count", 1, "crash, poison, never_ending: how many times or jobs; invalidate: the paths").at_least(1),
      number_param("latency_factor", "", 10, "slow: how many times longer each answer takes").above(0),
      number_param("failure_probability", "", 1, "fail: the share of calls that fail").at_least(0).at_most(1),
  };
}

void check_faults(const nlohmann::json& resolved_document, std::vector<Problem>& problems)
{
  const auto& faults = resolved_document.at("faults");
  const auto& components = resolved_document.at("components");
  for (std::size_t i = 0; i < faults.size(); ++i) {
    const auto& fault = faults[i];
    auto path = join_path("faults", i);
    auto action = fault.at("action").get<std::string>();
    if (action == "zone_outage" || (action == "recover" && fault.contains("zone"))) {
      if (!fault.contains("zone"))
        problems.push_back({join_path(path, "zone"), "a zone_outage needs the zone that goes down"});
      continue;
    }
    if (!fault.contains("target")) {
      problems.push_back({join_path(path, "target"), "the '" + action + "' fault needs a target component"});
      continue;
    }
    auto target_id = fault.at("target").get<std::string>();
    if (!components.contains(target_id))
      continue;  // reported by the reference check
    const auto& target = components.at(target_id);
    auto type_name = target.at("type").get<std::string>();
    const auto* type = find_component_type(type_name);
    if (type && std::find(type->fault_actions.begin(), type->fault_actions.end(), action) == type->fault_actions.end()) {
      std::string supported;
      for (const auto& name : type->fault_actions)
        supported += (supported.empty() ? "" : ", ") + name;
      problems.push_back({join_path(path, "action"), "a " + type_name + " cannot take the fault '" + action + "'" +
                                                         (supported.empty() ? " (it takes none)" : " (it takes: " + supported + ")")});
      continue;
    }
    if (action == "deploy" && !target.contains("scaling"))
      problems.push_back({join_path(path, "target"), "a deploy needs the desired count the service scheduler keeps: give '" + target_id +
                                                         "' a scaling object (min = max = desired for a fixed count)"});
    if (action == "deploy" && fault.contains("for_s"))
      problems.push_back({join_path(path, "for_s"), "a deployment is not undone after a while: deploy again to roll back"});
    if (action == "crash" && !fault.contains("step"))
      problems.push_back({join_path(path, "step"), "a crash needs the step it happens at"});
    if (action == "crash" && fault.contains("step") && target.contains("steps") && target.at("steps").is_array()) {
      // A crash at a step the target does not have would never happen: the scenario would pass untested.
      auto step = fault.at("step").get<std::string>();
      std::string names;
      bool found = false;
      for (const auto& candidate : target.at("steps")) {
        auto name = candidate.is_object() ? candidate.value("name", std::string()) : std::string();
        found = found || name == step;
        names += (names.empty() ? "" : ", ") + name;
      }
      if (!found)
        problems.push_back({join_path(path, "step"), "'" + target_id + "' has no step '" + step + "' (its steps: " + names + ")"});
    }
    int instance = fault.at("instance").get<int>();
    if (target.contains("scaling")) {
      // instances come and go: an index missing at fault time is logged by the target
    } else if (target.contains("instances") && target.at("instances").is_number_integer()) {
      int instances = target.at("instances").get<int>();
      if (instance >= instances)
        problems.push_back({join_path(path, "instance"), "must be below " + std::to_string(instances) + " (the target's instance count)"});
    }
  }
}

std::vector<FaultEvent> fault_timeline(const nlohmann::json& faults)
{
  std::vector<FaultEvent> events;
  for (std::size_t i = 0; i < faults.size(); ++i) {
    const auto& fault = faults[i];
    FaultEvent event;
    event.at_s = fault.at("at_s").get<double>();
    event.action = fault.at("action").get<std::string>();
    event.target = fault.value("target", "");
    event.instance = fault.at("instance").get<int>();
    event.zone = fault.value("zone", "");
    event.step = fault.value("step", "");
    event.count = fault.at("count").get<int>();
    event.latency_factor = fault.at("latency_factor").get<double>();
    event.failure_probability = fault.at("failure_probability").get<double>();
    event.source_index = i;
    events.push_back(event);
    static const std::vector<std::string> undoable = {"kill", "hang", "slow", "fail", "zone_outage"};
    if (fault.contains("for_s") && std::find(undoable.begin(), undoable.end(), event.action) != undoable.end()) {
      event.at_s += fault.at("for_s").get<double>();
      event.action = "recover";
      events.push_back(event);
    }
  }
  std::stable_sort(events.begin(), events.end(), [](const FaultEvent& a, const FaultEvent& b) { return a.at_s < b.at_s; });
  return events;
}

}  // namespace archlab
