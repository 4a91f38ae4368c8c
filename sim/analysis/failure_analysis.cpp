#include "sim/analysis/failure_analysis.hpp"

#include "sim/core/number_text.hpp"
#include "sim/core/registry.hpp"

#include <algorithm>
#include <cstdio>
#include <deque>
#include <map>

namespace archlab::analysis {

namespace {

// One step of a dependency: `from` needs `to`, because it calls it (→), sends it messages (⇢), or
// because `to` consumes what `from` holds (⇠: a queue needs a worker polling it).
enum class StepKind { call, message, consumer };

struct Step {
  std::string to;
  StepKind kind;
};

using Group = std::vector<Step>;  // any one member is enough

// A one-way send (a UDP segment) is not needed: whether it arrives changes no answer.
bool is_needed_downstream(const Edge& edge)
{
  return edge.probability > 0 && edge.interaction != Interaction::none && !edge.is_one_way;  // polling included: a worker needs its queue
}

// For each component, the groups it needs (see the header for the rules).
std::map<std::string, std::vector<Group>> requirements(const Architecture& architecture, Dependence dependence)
{
  std::map<std::string, std::vector<Group>> needs;
  std::map<std::string, std::map<std::string, Group>> by_group;  // component → group key → members
  std::map<std::string, Group> consumers;
  const auto called = called_components(architecture);
  for (const auto& edge : architecture.edges) {
    if (!is_needed_downstream(edge))
      continue;
    by_group[edge.from][edge.group].push_back({edge.to, edge.interaction == Interaction::async_message ? StepKind::message : StepKind::call});
    if (dependence == Dependence::work && edge.interaction == Interaction::polling && !called.contains(edge.from))
      consumers[edge.to].push_back({edge.from, StepKind::consumer});
  }
  for (auto& [id, groups] : by_group)
    for (auto& [key, members] : groups)
      needs[id].push_back(std::move(members));
  for (auto& [id, members] : consumers)
    needs[id].push_back(std::move(members));
  return needs;
}

// The path from `client` to `needed` along requirements, each id with the kind of step into it.
std::vector<Step> dependency_steps(const Architecture& architecture, const std::string& client, const std::string& needed,
                                   Dependence dependence)
{
  std::map<std::string, std::vector<Step>> next;
  for (const auto& [id, groups] : requirements(architecture, dependence))
    for (const auto& group : groups)
      next[id].insert(next[id].end(), group.begin(), group.end());
  // Where a component both calls and messages another (a queue it sends to and peeks at), the story
  // tells of the message: that is what leaves work behind.
  for (auto& [id, steps] : next)
    std::stable_sort(steps.begin(), steps.end(), [](const Step& a, const Step& b) {
      return (a.kind == StepKind::message) > (b.kind == StepKind::message);
    });
  std::map<std::string, Step> parent{{client, {"", StepKind::call}}};  // id → (where from, how)
  std::deque<std::string> frontier{client};
  while (!frontier.empty()) {
    auto id = frontier.front();
    frontier.pop_front();
    if (id == needed) {
      std::vector<Step> path;
      for (auto at = id; !at.empty(); at = parent.at(at).to)
        path.insert(path.begin(), {at, parent.at(at).kind});
      return path;
    }
    for (const auto& step : next[id])
      if (parent.emplace(step.to, Step{id, step.kind}).second)
        frontier.push_back(step.to);
  }
  return {};
}

bool has_param(const ArchComponent& component, const std::string& name)
{
  const ComponentType* type = find_component_type(component.type);
  return type && std::any_of(type->params.begin(), type->params.end(), [&](const ParamSpec& spec) { return spec.name == name; });
}

bool has_instances_param(const ArchComponent& component)
{
  return has_param(component, "instances") || has_param(component, "min_instances");
}

// "a", "a and b", "a, b and c"
std::string listing(const std::vector<std::string>& items)
{
  if (items.size() < 2)
    return join(items, "");
  return join(std::vector<std::string>(items.begin(), items.end() - 1), ", ") + " and " + items.back();
}

std::string possessive(const std::string& id)
{
  return id + (id.ends_with("s") ? "'" : "'s");
}

std::string stories(const Architecture& architecture, const std::vector<std::string>& clients, const std::string& lost, Dependence dependence)
{
  std::string text;
  for (const auto& client : clients) {
    auto story = dependency_story(architecture, client, lost, dependence);
    text += (text.empty() ? "" : "; ") + (story.empty() ? client : story);
  }
  bool has_message = text.find("⇢") != std::string::npos, has_consumer = text.find("⇠") != std::string::npos;
  if (has_message || has_consumer)
    text += std::string(": ") + (has_message ? "⇢ sends messages to" : "") + (has_message && has_consumer ? ", " : "") +
            (has_consumer ? "⇠ is polled by" : "");
  return text;
}

// The queues whose only consumer is `lost`, as met on the clients' dependency paths.
std::vector<std::string> queues_consumed_by(const Architecture& architecture, const std::vector<std::string>& clients, const std::string& lost)
{
  std::set<std::string> queues;
  for (const auto& client : clients) {
    auto steps = dependency_steps(architecture, client, lost, Dependence::work);
    if (steps.size() >= 2 && steps.back().kind == StepKind::consumer)
      queues.insert(steps[steps.size() - 2].to);
  }
  return {queues.begin(), queues.end()};
}

// Who the clients that lose something are, and what they lose: answers, or only their queued work.
struct Impact {
  std::vector<std::string> cut;         // clients_cut_off
  std::vector<std::string> unanswered;  // clients_unanswered
  bool is_only_queued_work() const { return unanswered.empty(); }
};

Impact impact_of(const Architecture& architecture, const std::set<std::string>& lost)
{
  return {clients_cut_off(architecture, lost), clients_unanswered(architecture, lost)};
}

// What the loss means to the clients: "requests from a, b that need it fail (...)", or, when only queued
// work stops, that their requests are answered but their work waits.
std::string impact_text(const Architecture& architecture, const ArchComponent& component, const Impact& impact, const std::string& until)
{
  if (!impact.is_only_queued_work())
    return "requests from " + listing(impact.unanswered) + " that need it fail" + until + " (" +
           stories(architecture, impact.unanswered, component.id, Dependence::answers) + ")";
  std::vector<std::string> owners;
  for (const auto& client : impact.cut)
    owners.push_back(possessive(client));
  auto queues = queues_consumed_by(architecture, impact.cut, component.id);
  std::string queue = queues.empty() ? "the queue" : listing(queues);
  return listing(owners) + " requests are still answered, but nothing else consumes " + queue + ": the work they queue there waits, "
         "unfinished," + until + " (" + stories(architecture, impact.cut, component.id, Dependence::work) + ")";
}

nlohmann::json impact_details(const Impact& impact)
{
  return {{"clients_cut_off", impact.cut}, {"clients_unanswered", impact.unanswered},
          {"impact", impact.is_only_queued_work() ? "queued_work" : "requests"}};
}

Finding instance_fault_finding(const Architecture& architecture, const ArchComponent& component, const Impact& impact)
{
  const std::string& zone = component.placement.zones.front().zone;
  const auto& listed = component.placement.listed;
  Finding finding = make_finding("single_point_of_failure", "warning", {component.id});
  finding.summary = component.id + " is a single point of failure" + (impact.is_only_queued_work() ? " for queued work" : "") +
                    " (one instance)";
  std::string what, until, where;
  if (component.is_scaled) {
    const auto& scaling = component.params.at("scaling");
    int min = scaling.value("min", 1);
    what = possessive(component.id) + " Auto Scaling group may shrink to scaling.min = " + std::to_string(min) +
           (min == 1 ? " instance. If that instance fails, " : " instances, and then none runs: ");
    until = min == 1 ? " until the group has launched a replacement, " + number_text(scaling.value("launch_time_s", 60.0)) +
                           " s (launch_time_s) after it notices"
                     : " until the group scales out again";
    if (!zone.empty())
      where = listed.size() > 1 ? ". That one instance runs in one of its zones at a time, so an outage of that zone does the same."
                                : ". It sits in zone " + zone + ", so an outage of that zone does the same.";
  } else {
    what = (has_instances_param(component) ? component.id + " runs one instance"
                                           : component.id + " (" + component.type + ") is one box in this model") +
           ": after one instance fault, ";
    if (!zone.empty())
      where = "; it sits in zone " + zone + ", so an outage of that zone does the same.";
  }
  finding.why = what + impact_text(architecture, component, impact, until) + (where.empty() ? "." : where);
  if (component.is_scaled)
    finding.fix = listed.size() > 1 ? "raise scaling.min to 2 (scaling.desired at least as much): the group spans " + listing(listed) +
                                          " and balances its instances over them, so one instance or zone fault leaves one running"
                                    : "raise scaling.min to 2 and spread the group over zones, e.g. \"zones\": [\"a\", \"b\"], so one "
                                      "instance or zone fault leaves another running";
  else if (has_instances_param(component))
    finding.fix = "run at least 2 instances spread over zones, e.g. \"instances\": 2, \"zones\": [\"a\", \"b\"]";
  else if (const auto* type = find_component_type(component.type); type && type->part_kind == PartKind::load_balancer)
    finding.fix = "spread " + component.id + " over zones, e.g. \"zones\": [\"a\", \"b\"]: AWS runs a load balancer node in each zone it "
                  "is enabled in (an ALB needs at least two); or give its callers an alternative to it";
  else
    finding.fix = "give " + component.id + " a standby in another zone that takes over (for a cache, \"replicas\": 1 and \"multi_az\": true), "
                  "or give its callers an alternative to it";
  finding.details = impact_details(impact);
  finding.details["fault"] = "instance";
  return finding;
}

Finding zone_component_finding(const Architecture& architecture, const ArchComponent& component, const std::string& zone,
                               const Impact& impact)
{
  Finding finding = make_finding("single_point_of_failure", "warning", {component.id});
  finding.summary = component.id + " is a single point of failure" + (impact.is_only_queued_work() ? " for queued work" : "") +
                    " against an outage of zone " + zone;
  finding.why = component.id + " has " + std::to_string(component.instances) + (component.is_scaled ? " instances at least" : " instances") +
                ", all in zone " + zone + ": they survive an instance fault, but a zone outage takes them together, and " +
                impact_text(architecture, component, impact, "") + ".";
  finding.fix = "spread its instances over zones, e.g. \"zones\": [\"" + zone + "\", \"<another zone>\"]";
  finding.details = impact_details(impact);
  finding.details["fault"] = "zone";
  finding.details["zone"] = zone;
  return finding;
}

Finding zone_finding(const std::string& zone, const std::set<std::string>& lost, const Impact& impact)
{
  std::vector<std::string> members(lost.begin(), lost.end());
  Finding finding = make_finding("single_point_of_failure", "warning", members);
  finding.summary = "zone " + zone + " is a single point of failure";
  finding.why = "no single component explains it, but together " + join(members, ", ") + " run only in zone " + zone + ": its outage leaves " +
                (impact.is_only_queued_work() ? join(impact.cut, ", ") + " answered, but with nothing to do the work they queue."
                                              : join(impact.unanswered, ", ") + " with no working path.");
  finding.fix = "place the alternatives in different zones, so one zone outage leaves one of them";
  finding.details = impact_details(impact);
  finding.details["fault"] = "zone";
  finding.details["zone"] = zone;
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

std::vector<std::string> clients_not_in(const Architecture& architecture, const std::set<std::string>& up)
{
  std::vector<std::string> cut;
  for (const auto& component : architecture.components)
    if (component.is_client && !up.contains(component.id))
      cut.push_back(component.id);
  return cut;
}

}  // namespace

bool can_be_lost(const ArchComponent& component)
{
  return !component.is_client && !component.is_managed_multi_zone;
}

std::set<std::string> available_components(const Architecture& architecture, const std::set<std::string>& lost, Dependence dependence)
{
  std::set<std::string> up;
  for (const auto& component : architecture.components)
    if (component.is_client || !lost.contains(component.id))
      up.insert(component.id);
  const auto needs = requirements(architecture, dependence);
  // Take away whatever misses a whole group, until nothing changes (the largest consistent set).
  for (bool changed = true; changed;) {
    changed = false;
    for (auto it = up.begin(); it != up.end();) {
      bool is_missing_one = false;
      if (auto found = needs.find(*it); found != needs.end())
        for (const auto& group : found->second)
          is_missing_one = is_missing_one || std::none_of(group.begin(), group.end(), [&](const Step& step) { return up.contains(step.to); });
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
  return clients_not_in(architecture, available_components(architecture, lost, Dependence::work));
}

std::vector<std::string> clients_unanswered(const Architecture& architecture, const std::set<std::string>& lost)
{
  return clients_not_in(architecture, available_components(architecture, lost, Dependence::answers));
}

std::set<std::string> components_only_in_zone(const Architecture& architecture, const std::string& zone)
{
  std::set<std::string> only;
  for (const auto& component : architecture.components) {
    const auto& zones = component.placement.zones;
    if (can_be_lost(component) && std::all_of(zones.begin(), zones.end(), [&](const ZoneShare& share) { return share.zone == zone; }))
      only.insert(component.id);
  }
  return only;
}

std::vector<std::string> dependency_path(const Architecture& architecture, const std::string& client, const std::string& needed,
                                         Dependence dependence)
{
  std::vector<std::string> path;
  for (const auto& step : dependency_steps(architecture, client, needed, dependence))
    path.push_back(step.to);
  return path;
}

std::string dependency_story(const Architecture& architecture, const std::string& client, const std::string& needed, Dependence dependence)
{
  std::string story;
  for (const auto& step : dependency_steps(architecture, client, needed, dependence))
    story += (story.empty() ? "" : step.kind == StepKind::message ? " ⇢ " : step.kind == StepKind::consumer ? " ⇠ " : " → ") + step.to;
  return story;
}

std::vector<Finding> single_points_of_failure(const Architecture& architecture)
{
  std::vector<Finding> findings;
  for (const auto& component : architecture.components)
    if (can_be_lost(component) && component.instances == 1)
      if (auto impact = impact_of(architecture, {component.id}); !impact.cut.empty())
        findings.push_back(instance_fault_finding(architecture, component, impact));
  for (const auto& zone : all_zones(architecture)) {
    auto lost = components_only_in_zone(architecture, zone);
    auto impact = impact_of(architecture, lost);
    if (impact.cut.empty())
      continue;
    bool is_explained = false;  // by a component that fails alone (one-instance ones are reported above)
    for (const auto& id : lost) {
      auto alone = impact_of(architecture, {id});
      if (alone.cut.empty())
        continue;
      is_explained = true;
      if (const auto* component = architecture.find(id); component->instances > 1)
        findings.push_back(zone_component_finding(architecture, *component, zone, alone));
    }
    if (!is_explained) {
      std::set<std::string> involved;  // only what the cut-off clients depend on
      for (const auto& id : lost)
        for (const auto& client : impact.cut)
          if (!dependency_path(architecture, client, id).empty())
            involved.insert(id);
      findings.push_back(zone_finding(zone, involved, impact));
    }
  }
  return findings;
}

}  // namespace archlab::analysis
