#include "sim/core/world.hpp"

#include "sim/core/problems.hpp"
#include "sim/core/registry.hpp"
#include "sim/core/fault_plan.hpp"

#include <algorithm>
#include <cstdio>

namespace archlab {

void EventLog::add(double at_s, const std::string& source, const std::string& text)
{
  char time[32];
  std::snprintf(time, sizeof time, "%12.3f", at_s);
  ++total_;
  if (sink_)
    std::fprintf(sink_, "%s  %s  %s\n", time, source.c_str(), text.c_str());
  if (lines_.size() < kept_lines)
    lines_.push_back(std::string(time) + "  " + source + "  " + text);
}

Component::Component(const ComponentSetup& setup, std::string type)
    : id_(setup.id), type_(std::move(type)), clock_(setup.world.scheduler())
{
}

Component& World::component(const std::string& id)
{
  for (auto& component : components_)
    if (component->id() == id)
      return *component;
  throw std::logic_error("no component " + id + " (the model should have been validated)");
}

void World::build()
{
  for (auto& [id, params] : model_.components().items())
    add(find_component_type(params.at("type").get<std::string>())->create(ComponentSetup{id, params, *this}));
  for (auto& component : components_)
    component->connect(*this);
}

std::uint16_t World::kind_id(const std::string& kind_name)
{
  auto found = std::find(kind_names_.begin(), kind_names_.end(), kind_name);
  if (found != kind_names_.end())
    return static_cast<std::uint16_t>(found - kind_names_.begin());
  kind_names_.push_back(kind_name);
  return static_cast<std::uint16_t>(kind_names_.size() - 1);
}

std::optional<double> Component::signal(std::string_view name) const
{
  const auto& counts = stats_.lifetime();
  if (name == "arrivals")
    return static_cast<double>(counts.arrivals);
  if (name == "completed")
    return static_cast<double>(counts.completed);
  if (name == "rejected")
    return static_cast<double>(counts.rejected);
  if (name == "failed")
    return static_cast<double>(counts.failed);
  if (name == "in_flight")
    return stats_.busy.level() + stats_.waiting.level();
  if (name == "queue_length")
    return stats_.waiting.level();
  if (name == "busy")
    return stats_.busy.level();
  if (name == "capacity")
    return stats_.capacity.level();
  if (name == "latency_p99") {
    const Histogram* recent = stats_.interval_latency();
    return (recent ? recent->percentile(0.99) : stats_.latency().percentile(0.99)) * 1e3;
  }
  return std::nullopt;
}

void Component::refuse_operation(const Call& call, World& world)
{
  if (!has_logged_refused_operation_)
    world.log().add(clock().now(), id(), "a " + type() + " cannot take the operation '" + operation_name(call.operation) +
                                             "': answered failed (logged once)");
  has_logged_refused_operation_ = true;
  clock().after(0, [this, call] {
    stats_.finish(0, false, call.request->is_measured);
    call.caller->on_answer(call, Outcome::failed);
  });
}

void Component::apply_fault(const FaultEvent& fault, World&)
{
  if (fault.target.empty())
    return;  // a zone outage, and nothing of this component is in a zone
  throw InputError(fault.target, "a " + type() + " cannot take the fault '" + fault.action + "'");
}

Distribution World::seconds_of(const nlohmann::json& distribution_ms) const
{
  std::vector<Problem> ignored;  // validated with the model
  return Distribution::parse(distribution_ms, "", model_.file.parent_path(), ignored).scaled(1e-3);
}

}  // namespace archlab
