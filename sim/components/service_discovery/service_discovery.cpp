#include "sim/components/service_discovery/service_discovery.hpp"

#include "sim/components/service_discovery/dns_rules.hpp"
#include "sim/core/world.hpp"

#include <algorithm>

namespace archlab {

class ServiceDiscovery::Registration final : public TargetListener {
public:
  explicit Registration(ServiceDiscovery& discovery) : discovery_(discovery) {}
  void target_registered(Endpoint& task, World& world) override { discovery_.registered(task, world); }
  void target_deregistered(Endpoint& task, World& world) override { discovery_.deregistered(task, world); }
  double deregistration_delay_s() const override { return discovery_.stop_timeout_s_; }

private:
  ServiceDiscovery& discovery_;
};

ComponentType ServiceDiscovery::type_description()
{
  return {
      .name = "service_discovery",
      .summary = "a DNS name for a service's tasks: they register as they start and leave as they stop; callers keep an answer "
                 "for its TTL and call an address in it, stale or not",
      .aws_counterpart = "AWS Cloud Map (private DNS namespace, multivalue A records) with Amazon ECS service discovery",
      .part_kind = PartKind::discovery,
      .params =
          {
              reference_list_param("targets", Interaction::sync_call,
                                   "the services whose tasks register under this name (each running task is one A record)")
                  .required(),
              number_param("ttl_s", "s", 60,
                           "the A records' TTL: how long the VPC resolver, and so a caller, keeps an answer (the AWS CDK's default for "
                           "an ECS service's Cloud Map record: 60 s)")
                  .at_least(0)
                  .at_most(86400),
              number_param("client_cache_s", "s", nullptr,
                           "how long the caller's own client keeps a name whatever the TTL (libcurl: 60 s; absent: the client "
                           "resolves each time and the TTL decides, as Node.js and glibc without nscd do)")
                  .at_least(0)
                  .at_most(86400)
                  .with_default(nullptr),
              integer_param("caches_per_caller", 1,
                            "resolver caches behind each call site that names it: one per calling task, each keeping its own answer "
                            "and refreshing it on its own schedule (a request uses one of them, the same for its retries)")
                  .at_least(1)
                  .at_most(10000),
              integer_param("max_answers", 8, "records in one answer (Route 53 multivalue answers: up to 8 healthy ones, at random)")
                  .at_least(1)
                  .at_most(8),
              number_param("connect_timeout_ms", "ms", 127000,
                           "how long a connection to an address no task holds takes to fail (nothing answers in the VPC; Linux gives "
                           "up after 6 SYN retries, about 127 s, when the client sets no connect timeout; a call's own timeout_ms "
                           "ends it sooner)")
                  .above(0)
                  .at_most(600000),
              boolean_param("try_next_address", false,
                            "after a failed connection the client tries the answer's next address (curl, urllib3, Java); false: it "
                            "uses the one address it was handed (Node.js dns.lookup) and the call fails"),
              number_param("stop_timeout_s", "s", 30,
                           "how long a deregistered task still serves what it holds before it is stopped and the rest fails (ECS "
                           "stopTimeout: SIGTERM, then SIGKILL after 30 s by default)")
                  .at_least(0)
                  .at_most(120),
          },
      .create = [](const ComponentSetup& setup) -> std::unique_ptr<Component> { return std::make_unique<ServiceDiscovery>(setup); },
      .check = {},
      .operations = {plain_request()},
      .reference_rules = {{"targets[]", {"service", "container_service"}}},
      .check_with_model = {},
      .fault_actions = {},
      .is_managed_multi_zone = true,
      .signals = {{"registered_tasks", "tasks", SignalKind::gauge, "tasks registered under the name now (the records an answer draws from)"}},
      .callers_default_retry = {},
  };
}

ServiceDiscovery::ServiceDiscovery(const ComponentSetup& setup)
    : Component(setup, "service_discovery"),
      world_(setup.world),
      target_ids_(setup.params.at("targets").get<std::vector<std::string>>()),
      ttl_s_(setup.params.at("ttl_s").get<double>()),
      max_answers_(setup.params.at("max_answers").get<std::size_t>()),
      connect_timeout_s_(setup.params.at("connect_timeout_ms").get<double>() / 1000),
      tries_next_address_(setup.params.at("try_next_address").get<bool>()),
      stop_timeout_s_(setup.params.at("stop_timeout_s").get<double>()),
      caches_per_caller_(setup.params.at("caches_per_caller").get<std::size_t>()),
      answer_rng_(setup.world.rng(setup.id + "/answers")),
      choice_rng_(setup.world.rng(setup.id + "/address_choice")),
      phase_rng_(setup.world.rng(setup.id + "/cache_phase"))
{
  if (setup.params.contains("client_cache_s") && !setup.params.at("client_cache_s").is_null())
    client_cache_s_ = setup.params.at("client_cache_s").get<double>();
}

ServiceDiscovery::~ServiceDiscovery() = default;

void ServiceDiscovery::connect(World& world)
{
  for (const auto& target_id : target_ids_) {
    Component& target = world.component(target_id);
    for (Endpoint* task : target.endpoints())
      registered_.push_back(task);
    if (auto* source = dynamic_cast<TargetSource*>(&target)) {
      registrations_.push_back(std::make_unique<Registration>(*this));
      source->add_target_listener(*registrations_.back());
    }
  }
}

void ServiceDiscovery::registered(Endpoint& task, World& world)
{
  if (std::find(registered_.begin(), registered_.end(), &task) == registered_.end())
    registered_.push_back(&task);
  ++registrations_count_;
  world.log().add(clock().now(), id(), task.endpoint_name() + " registered");
  if (auto* checked = dynamic_cast<HealthChecked*>(&task))
    checked->marked_healthy(world);  // ECS registers a task once it runs: it counts as healthy from now on
}

void ServiceDiscovery::deregistered(Endpoint& task, World& world)
{
  auto found = std::find(registered_.begin(), registered_.end(), &task);
  if (found == registered_.end())
    return;
  registered_.erase(found);
  ++deregistrations_count_;
  world.log().add(clock().now(), id(), task.endpoint_name() + " deregistered (answers cached before now still name it)");
}

// A cache is first filled at its first call, as if it had been filled at a random moment of the
// answer's lifetime before (a running caller's caches are not in step with the run's start).
const ServiceDiscovery::CachedAnswer& ServiceDiscovery::answer_for(const Call& call)
{
  double now_s = clock().now();
  std::size_t which = static_cast<std::size_t>(call.request->id % caches_per_caller_);
  auto [place, is_new] = caches_.try_emplace({call.caller, which});
  CachedAnswer& cached = place->second;
  if (now_s < cached.expires_s)
    return cached;
  cached.addresses.clear();
  for (auto record : dns_answer(registered_.size(), max_answers_, answer_rng_))
    cached.addresses.push_back(registered_[record]);
  double lifetime_s = answer_lifetime_s(ttl_s_, client_cache_s_);
  cached.expires_s = now_s + (is_new ? lifetime_s * (1 - phase_rng_.uniform01()) : lifetime_s);
  if (call.request->is_measured) {  // counted like the calls: after the warm-up
    ++lookups_;
    empty_answers_ += cached.addresses.empty();
  }
  return cached;
}

// No task holds the address any more: it was deregistered and its task has stopped (a task still
// draining answers at its old address).
bool ServiceDiscovery::is_stale(const Endpoint& address) const
{
  if (std::find(registered_.begin(), registered_.end(), &address) != registered_.end())
    return false;
  const auto* checked = dynamic_cast<const HealthChecked*>(&address);
  return checked ? checked->health_answer() == HealthAnswer::refused : !address.answers_health_check();
}

void ServiceDiscovery::accept(const Call& call)
{
  bool is_measured = call.request->is_measured;
  stats_.arrive(is_measured);
  calls_ += is_measured;
  const CachedAnswer& answer = answer_for(call);
  if (answer.addresses.empty()) {  // NXDOMAIN: no task registered when the caller asked
    stats_.finish(0, false, is_measured);
    call.caller->on_answer(call, Outcome::failed);
    return;
  }
  scratch_stale_.clear();
  for (const Endpoint* address : answer.addresses)
    scratch_stale_.push_back(is_stale(*address));
  auto route = route_through_answer(scratch_stale_, choice_rng_.below(answer.addresses.size()), tries_next_address_, connect_timeout_s_);
  if (is_measured)
    stale_connects_ += static_cast<std::uint64_t>(route.stale_addresses_tried);
  if (!route.address) {
    failed_stale_ += is_measured;
    stats_.finish(route.delay_s, false, is_measured);
    clock().after(route.delay_s, [call] { call.caller->on_answer(call, Outcome::failed); });
    return;
  }
  Endpoint* address = answer.addresses[*route.address];
  stats_.finish(route.delay_s, true, is_measured);
  if (route.delay_s == 0)
    address->accept(call);
  else
    clock().after(route.delay_s, [call, address] { address->accept(call); });
}

void ServiceDiscovery::add_summary(nlohmann::json& summary, double /*end_s*/) const
{
  summary["registered_tasks"] = registered_.size();
  summary["registrations"] = registrations_count_;
  summary["deregistrations"] = deregistrations_count_;
  summary["lookups"] = lookups_;
  summary["empty_answers"] = empty_answers_;
  summary["calls"] = calls_;
  summary["stale_connects"] = stale_connects_;
  summary["failed_stale"] = failed_stale_;
}

std::optional<double> ServiceDiscovery::signal(std::string_view name) const
{
  if (name == "registered_tasks")
    return static_cast<double>(registered_.size());
  return Component::signal(name);
}

}  // namespace archlab
