#include "sim/analysis/failure_analysis.hpp"

#include "sim/core/registry.hpp"

#include <algorithm>
#include <deque>
#include <map>

namespace archlab::analysis {

namespace {

using Group = std::vector<std::string>;  // any one member is enough

bool is_needed_downstream(const Edge& edge)
{
  return edge.probability > 0 && edge.interaction != Interaction::none;  // polling included: a worker needs its queue
}

// For each component, the groups it needs (see the header for the rules).
std::map<std::string, std::vector<Group>> requirements(const Architecture& architecture)
{
  std::map<std::string, std::vector<Group>> needs;
  std::map<std::string, std::map<std::string, Group>> by_group;  // component → group key → members
  std::map<std::string, Group> pollers;
  for (const auto& edge : architecture.edges) {
    if (!is_needed_downstream(edge))
      continue;
    by_group[edge.from][edge.group].push_back(edge.to);
    if (edge.interaction == Interaction::polling)
      pollers[edge.to].push_back(edge.from);
  }
  for (auto& [id, groups] : by_group)
    for (auto& [key, members] : groups)
      needs[id].push_back(std::move(members));
  for (auto& [id, members] : pollers)
    needs[id].push_back(std::move(members));
  return needs;
}

bool has_instances_param(const ArchComponent& component)
{
  const ComponentType* type = find_component_type(component.type);
  if (!type)
    return false;
  for (const auto& spec : type->params)
    if (spec.name == "instances" || spec.name == "min_instances")
      return true;
  return false;
}

std::string cut_off_story(const Architecture& architecture, const std::vector<std::string>& clients, const std::string& lost)
{
  std::string story;
  for (const auto& client : clients) {
    auto path = dependency_path(architecture, client, lost);
    story += (story.empty() ? "" : "; ") + (path.empty() ? client : join(path, " → "));
  }
  return story;
}

Finding instance_fault_finding(const Architecture& architecture, const ArchComponent& component, const std::vector<std::string>& cut)
{
  const std::string& zone = component.placement.zones.front().zone;
  Finding finding = make_finding("single_point_of_failure", "warning", {component.id});
  finding.summary = component.id + " is a single point of failure (one instance)";
  finding.why = (has_instances_param(component) ? component.id + " runs one instance"
                                                : component.id + " (" + component.type + ") is one box in this model") +
                ": after one instance fault, requests from " + join(cut, ", ") + " that need it fail (" +
                cut_off_story(architecture, cut, component.id) + ")" +
                (zone.empty() ? "." : "; it sits in zone " + zone + ", so an outage of that zone does the same.");
  finding.fix = has_instances_param(component)
                    ? "run at least 2 instances spread over zones, e.g. \"instances\": 2, \"zones\": [\"a\", \"b\"]"
                    : "give " + component.id + " a standby its callers can use instead (a pool such as a load balancer's targets), "
                      "or accept it knowingly: a real ALB is itself spread over at least two zones";
  finding.details = {{"fault", "instance"}, {"clients_cut_off", cut}};
  return finding;
}

Finding zone_component_finding(const Architecture& architecture, const ArchComponent& component, const std::string& zone,
                               const std::vector<std::string>& cut)
{
  Finding finding = make_finding("single_point_of_failure", "warning", {component.id});
  finding.summary = component.id + " is a single point of failure against an outage of zone " + zone;
  finding.why = component.id + " has " + std::to_string(component.instances) + " instances, all in zone " + zone +
                ": they survive an instance fault, but a zone outage takes them together, and requests from " + join(cut, ", ") +
                " that need it fail (" + cut_off_story(architecture, cut, component.id) + ").";
  finding.fix = "spread its instances over zones, e.g. \"zones\": [\"" + zone + "\", \"<another zone>\"]";
  finding.details = {{"fault", "zone"}, {"zone", zone}, {"clients_cut_off", cut}};
  return finding;
}

Finding zone_finding(const std::string& zone, const std::set<std::string>& lost, const std::vector<std::string>& cut)
{
  std::vector<std::string> members(lost.begin(), lost.end());
  Finding finding = make_finding("single_point_of_failure", "warning", members);
  finding.summary = "zone " + zone + " is a single point of failure";
  finding.why = "no single component explains it, but together " + join(members, ", ") + " run only in zone " + zone +
                ": its outage leaves " + join(cut, ", ") + " with no working path.";
  finding.fix = "place the alternatives in different zones, so one zone outage leaves one of them";
  finding.details = {{"fault", "zone"}, {"zone", zone}, {"clients_cut_off", cut}};
  return finding;
}

std::set<std::string> all_zones(const Architecture& architecture)
{
  std::set<std::string> zones;
  for (const auto& component : architecture.components)
    for (const auto& share : component.placement.zones)
      if (!share.zone.empty())
        zones.insert(share.zone);
  return zones;
}

}  // namespace

std::set<std::string> available_components(const Architecture& architecture, const std::set<std::string>& lost)
{
  std::set<std::string> up;
  for (const auto& component : architecture.components)
    if (component.is_client || !lost.contains(component.id))
      up.insert(component.id);
  const auto needs = requirements(architecture);
  // Take away whatever misses a whole group, until nothing changes (the largest consistent set).
  for (bool changed = true; changed;) {
    changed = false;
    for (auto it = up.begin(); it != up.end();) {
      bool is_missing_one = false;
      if (auto found = needs.find(*it); found != needs.end())
        for (const auto& group : found->second)
          is_missing_one = is_missing_one || std::none_of(group.begin(), group.end(), [&](const auto& id) { return up.contains(id); });
      if (is_missing_one) {
        it = up.erase(it);
        changed = true;
      } else {
        ++it;
      }
    }
  }
  return up;
}

std::vector<std::string> clients_cut_off(const Architecture& architecture, const std::set<std::string>& lost)
{
  auto up = available_components(architecture, lost);
  std::vector<std::string> cut;
  for (const auto& component : architecture.components)
    if (component.is_client && !up.contains(component.id))
      cut.push_back(component.id);
  return cut;
}

std::set<std::string> components_only_in_zone(const Architecture& architecture, const std::string& zone)
{
  std::set<std::string> only;
  for (const auto& component : architecture.components) {
    const auto& zones = component.placement.zones;
    if (!component.is_client && std::all_of(zones.begin(), zones.end(), [&](const ZoneShare& share) { return share.zone == zone; }))
      only.insert(component.id);
  }
  return only;
}

std::vector<std::string> dependency_path(const Architecture& architecture, const std::string& client, const std::string& needed)
{
  std::map<std::string, std::vector<std::string>> next;  // along requirements, pollers included
  for (const auto& [id, groups] : requirements(architecture))
    for (const auto& group : groups)
      next[id].insert(next[id].end(), group.begin(), group.end());
  std::map<std::string, std::string> parent{{client, ""}};
  std::deque<std::string> frontier{client};
  while (!frontier.empty()) {
    auto id = frontier.front();
    frontier.pop_front();
    if (id == needed) {
      std::vector<std::string> path;
      for (auto at = id; !at.empty(); at = parent[at])
        path.insert(path.begin(), at);
      return path;
    }
    for (const auto& to : next[id])
      if (parent.emplace(to, id).second)
        frontier.push_back(to);
  }
  return {};
}

std::vector<Finding> single_points_of_failure(const Architecture& architecture)
{
  std::vector<Finding> findings;
  for (const auto& component : architecture.components)
    if (!component.is_client && component.instances == 1)
      if (auto cut = clients_cut_off(architecture, {component.id}); !cut.empty())
        findings.push_back(instance_fault_finding(architecture, component, cut));
  for (const auto& zone : all_zones(architecture)) {
    auto lost = components_only_in_zone(architecture, zone);
    auto cut = clients_cut_off(architecture, lost);
    if (cut.empty())
      continue;
    bool is_explained = false;  // by a component that fails alone (one-instance ones are reported above)
    for (const auto& id : lost) {
      auto alone = clients_cut_off(architecture, {id});
      if (alone.empty())
        continue;
      is_explained = true;
      if (const auto* component = architecture.find(id); component->instances > 1)
        findings.push_back(zone_component_finding(architecture, *component, zone, alone));
    }
    if (!is_explained) {
      std::set<std::string> involved;  // only what the cut-off clients depend on
      for (const auto& id : lost)
        for (const auto& client : cut)
          if (!dependency_path(architecture, client, id).empty())
            involved.insert(id);
      findings.push_back(zone_finding(zone, involved, cut));
    }
  }
  return findings;
}

}  // namespace archlab::analysis
