#include "sim/faults/fault_plan.hpp"

#include "sim/core/json_io.hpp"

#include <algorithm>

namespace archlab {

std::vector<ParamSpec> fault_params()
{
  return {
      number_param("at_s", "s", nullptr, "when the fault happens, in simulated time").at_least(0).required(),
      choice_param("action", {"kill", "recover"}, "kill", "kill: the instance stops answering and refuses connections; recover: it comes back"),
      reference_param("target", Interaction::none, "the component hit").required(),
      integer_param("instance", -1, "which instance (from 0); -1 means all of them").at_least(-1),
      number_param("for_s", "s", nullptr, "recover automatically after this long").above(0),
  };
}

void check_faults(const nlohmann::json& resolved_document, std::vector<Problem>& problems)
{
  const auto& faults = resolved_document.at("faults");
  const auto& components = resolved_document.at("components");
  for (std::size_t i = 0; i < faults.size(); ++i) {
    const auto& fault = faults[i];
    const auto& target = components.at(fault.at("target").get<std::string>());
    auto path = join_path("faults", i);
    if (target.at("type") != "service") {
      problems.push_back({join_path(path, "target"), "faults can hit services only so far; '" + fault.at("target").get<std::string>() + "' is a " + target.at("type").get<std::string>()});
      continue;
    }
    int instance = fault.at("instance").get<int>();
    int instances = target.at("instances").get<int>();
    if (instance >= instances)
      problems.push_back({join_path(path, "instance"), "must be below " + std::to_string(instances) + " (the target's instance count)"});
  }
}

std::vector<FaultEvent> fault_timeline(const nlohmann::json& faults)
{
  std::vector<FaultEvent> events;
  for (std::size_t i = 0; i < faults.size(); ++i) {
    const auto& fault = faults[i];
    FaultEvent event{fault.at("at_s").get<double>(), fault.at("action").get<std::string>(), fault.at("target").get<std::string>(),
                     fault.at("instance").get<int>(), i};
    events.push_back(event);
    if (fault.contains("for_s") && event.action == "kill") {
      event.at_s += fault.at("for_s").get<double>();
      event.action = "recover";
      events.push_back(event);
    }
  }
  std::stable_sort(events.begin(), events.end(), [](const FaultEvent& a, const FaultEvent& b) { return a.at_s < b.at_s; });
  return events;
}

}  // namespace archlab
