#include "sim/components/service/service.hpp"

#include "sim/components/service/service_instance.hpp"
#include "sim/components/worker_limit.hpp"
#include "sim/core/json_io.hpp"
#include "sim/core/world.hpp"
#include "sim/instances/image_pull.hpp"
#include "sim/report/cost.hpp"
#include "sim/scaling/auto_scaling_group.hpp"

namespace archlab {

namespace {
std::vector<ParamSpec> call_fields(Interaction interaction, const char* meaning)
{
  return {
      reference_param("target", interaction, meaning).required(),
      number_param("probability", "", 1, "chance that a request takes this step").at_least(0).at_most(1),
  };
}

// What a synchronous call asks of its target: a plain request, or an SQS / DynamoDB API call.
std::vector<ParamSpec> sync_call_fields()
{
  auto fields = call_fields(Interaction::sync_call, "component called, waiting for its answer");
  fields.push_back(operation_param("what the call asks of its target: one its type declares (request for a service or load balancer; "
                                   "send or receive for a queue; get, put, update, query or scan for a table); that operation's "
                                   "arguments (a receive's max_messages, a put's conditional, ...) go beside it"));
  for (auto& policy_field : call_policy_fields())
    fields.push_back(std::move(policy_field));
  return fields;
}

void check_calls(const nlohmann::json& params, const std::string& path, std::vector<Problem>& problems)
{
  if (!params.is_object() || !params.contains("calls") || !params.at("calls").is_array())
    return;
  const auto& calls = params.at("calls");
  for (std::size_t i = 0; i < calls.size(); ++i)
    check_call_policy(calls[i], path + ".calls[" + std::to_string(i) + "]", problems);
}

void check_service(const nlohmann::json& params, const std::string& path, std::vector<Problem>& problems)
{
  check_calls(params, path, problems);
  auto handlers = params.value("handlers", nlohmann::json::object());  // items() must not outlive it
  for (const auto& [kind, handler] : handlers.items())
    check_calls(handler, join_path(join_path(path, "handlers"), kind), problems);
  check_worker_count(params, "concurrency", path, problems);
  double total = 0;
  for (const auto& next : params.value("next", nlohmann::json::array()))
    total += next.at("probability").get<double>();
  if (total > 1 + 1e-9)
    problems.push_back({path + ".next", "probabilities add up to more than 1"});
  if (params.contains("scaling")) {
    AutoScalingGroup::check(params.at("scaling"), join_path(path, "scaling"), problems);
    if (params.at("instances").get<int>() != 1)
      problems.push_back({join_path(path, "instances"), "leave it out with scaling: the group sets the count (scaling.desired, else scaling.min)"});
  }
}
}  // namespace

std::vector<ParamSpec> Service::shared_params()
{
  auto calls = object_list_param("calls", sync_call_fields(),
                                 "synchronous calls made after the work, in order; the worker waits for each");
  auto work = distribution_param("service_time_ms", "ms", nlohmann::json{{"dist", "exponential"}, {"mean", 10}},
                                 "time a worker spends on one request, before its calls");
  auto cpu = distribution_param("cpu_ms", "ms", nullptr,
                                "CPU a worker uses on one request, in ms of one reference vCPU (models/platform/), before service_time_ms: "
                                "it shares the instance's vCPUs with its other workers");
  return {
      integer_param("instances", 1, "number of instances (servers; a container service's desired count of tasks); with scaling, the "
                                    "group decides (at most 10,000)").at_least(1).at_most(10000),
      integer_param("concurrency", 1, "workers per instance: requests one instance handles at once (at most 100,000; "
                                      "instances × concurrency at most 1,000,000)").at_least(1).at_most(100000),
      integer_param("queue_capacity", nullptr, "places in each waiting line; an arrival that finds it full is rejected (absent: unbounded)").at_least(0),
      cpu,
      work,
      calls,
      object_list_param("next", call_fields(Interaction::forward, "component the request moves on to"),
                        "where a request goes after this service, freeing the worker (tandem and Jackson networks); the rest leave"),
      boolean_param("writes", false, "a request handled here writes its key: cached copies of it become stale"),
      object_map_param("handlers", {cpu, work.with_default(nullptr), calls, boolean_param("writes", false, "this kind writes its key (absent: as writes above)").with_default(nullptr)},
                       "per request kind: its own cpu_ms, service_time_ms and calls (others use the defaults above)"),
      AutoScalingGroup::scaling_param(),
      image_pull_param(),
  };
}

void Service::check_shared(const nlohmann::json& params, const std::string& path, std::vector<Problem>& problems)
{
  check_service(params, path, problems);
}

ComponentType Service::type_description()
{
  auto params = shared_params();
  params.insert(params.end() - 2, choice_param("instance_type", ec2_instance_types(), "t3.micro",
                                               "EC2 instance type: the bill (models/prices/), and the vCPUs cpu_ms runs on (models/platform/)"));
  return {
      .name = "service",
      .summary = "instances × concurrency workers with waiting lines, doing work and calling other components",
      .aws_counterpart = "an application on EC2 instances, optionally in an Auto Scaling group",
      .part_kind = PartKind::compute,
      .params = std::move(params),
      .create = [](const ComponentSetup& setup) -> std::unique_ptr<Component> { return std::make_unique<Service>(setup); },
      .check = check_service,
      .operations = {plain_request()},
      .reference_rules = {{"scaling.policies[].queue", {"queue"}}, {"image_pull.routes[].through", {"nat_gateway", "vpc_endpoint"}}},
      .check_with_model = check_image_pull,
      .fault_actions = {"kill", "recover", "hang", "slow", "fail", "zone_outage"},
      .signals = {instances_signal(), short_circuited_signal()},
  };
}

SignalSpec Service::instances_signal()
{
  return {"instances", "instances", SignalKind::gauge, "instances (tasks) in service: GroupInServiceInstances, or ECS's RunningTaskCount"};
}

SignalSpec Service::short_circuited_signal()
{
  return {"short_circuited", "calls", SignalKind::counter,
          "calls its circuit breakers refused at once (OPEN, or HALF_OPEN beyond its trial calls): when they are open"};
}

std::optional<double> Service::signal(std::string_view name) const
{
  if (name == "instances")
    return static_cast<double>(pool_.instances_in_service());
  if (name == "short_circuited")
    return static_cast<double>(call_sites_.short_circuited_since_start());
  return Component::signal(name);
}

namespace {
ServiceRuntime ec2_runtime(const nlohmann::json& params)
{
  auto instance_type = params.at("instance_type").get<std::string>();
  return {.type_name = "service", .kind = {"instance", "ec2." + instance_type + ".hour"}, .host_type = instance_type,
          .billed_per_hour = {{"ec2." + instance_type + ".hour", 1.0}}, .replaces_unhealthy = false};
}
}  // namespace

Service::Service(const ComponentSetup& setup) : Service(setup, ec2_runtime(setup.params)) {}

Service::Service(const ComponentSetup& setup, ServiceRuntime runtime)
    : Component(setup, runtime.type_name),
      world_(setup.world),
      concurrency_(setup.params.at("concurrency").get<int>()),
      service_rng_(setup.world.rng(setup.id + "/service")),
      routing_rng_(setup.world.rng(setup.id + "/routing")),
      fault_rng_(setup.world.rng(setup.id + "/faults")),
      cpu_rng_(setup.world.rng(setup.id + "/cpu")),
      runtime_(std::move(runtime)),
      params_(setup.params),
      pool_(setup.id, setup.params, runtime_.kind, setup.params.at("concurrency").get<int>(), *this, setup.world)
{
  if (setup.params.contains("queue_capacity"))
    queue_capacity_ = setup.params.at("queue_capacity").get<std::size_t>();
  pool_.add_initial_instances();
}

Service::~Service() = default;

Service::Handler Service::read_handler(const nlohmann::json& params, const nlohmann::json& defaults, World& world,
                                       const std::string& stream)
{
  Handler handler;
  const auto& work = params.contains("service_time_ms") ? params.at("service_time_ms") : defaults.at("service_time_ms");
  handler.service_time_s = world.seconds_of(work);
  handler.writes = (params.contains("writes") && !params.at("writes").is_null() ? params : defaults).at("writes").get<bool>();
  auto cpu = params.value("cpu_ms", nlohmann::json());  // a handler without one takes the service's
  if (cpu.is_null())
    cpu = defaults.value("cpu_ms", nlohmann::json());
  if (!cpu.is_null()) {
    if (!world.compute())
      throw std::logic_error(id() + ": cpu_ms runs on SimGrid's platform (sim/platform/), and this world has none");
    handler.cpu_s = world.seconds_of(cpu);
  }
  const auto& calls = params.contains("calls") ? params.at("calls") : defaults.value("calls", nlohmann::json::array());
  for (std::size_t i = 0; i < calls.size(); ++i) {
    const auto& call = calls[i];
    auto target = call.at("target").get<std::string>();
    CallSite& site = call_sites_.add(world, call, stream + "/calls[" + std::to_string(i) + "]");
    handler.calls.push_back({target, &world.component(target), call.at("probability").get<double>(), &site});
  }
  return handler;
}

void Service::connect(World& world)
{
  default_handler_ = read_handler(params_, params_, world, id() + "/retry");
  auto handlers = params_.value("handlers", nlohmann::json::object());  // items() must not outlive it
  for (auto& [kind, handler] : handlers.items())
    handlers_by_kind_.emplace_back(world.kind_id(kind), read_handler(handler, params_, world, id() + "/retry/" + kind));
  for (const auto& next : params_.value("next", nlohmann::json::array())) {
    auto id = next.at("target").get<std::string>();
    next_.push_back({id, &world.component(id), next.at("probability").get<double>(), {}});
  }
  pool_.connect(world);
}

void Service::start(World& world)
{
  bool computes = default_handler_.cpu_s.has_value();
  for (const auto& [kind, handler] : handlers_by_kind_)
    computes = computes || handler.cpu_s.has_value();
  if (computes) {  // the instances it starts with: hosts made now, before the platform is sealed, are cheaper
    pool_.reads_cpu_model();
    for (const auto& instance : instances_)
      instance->pooled.cpu_host = hosts_.of(*world.compute(), instance->index(), instance->endpoint_name(), runtime_.host_type, instance->pooled.zone);
  }
  pool_.start(world);
}

const Service::Handler& Service::handler_for(std::uint16_t kind) const
{
  for (const auto& [handler_kind, handler] : handlers_by_kind_)
    if (handler_kind == kind)
      return handler;
  return default_handler_;
}

std::vector<Endpoint*> Service::endpoints()
{
  std::vector<Endpoint*> result;
  for (auto& instance : instances_)
    if (!instance->pooled.is_gone())
      result.push_back(instance.get());
  return result;
}

bool Service::answers_health_check() const
{
  for (const auto& instance : instances_)
    if (instance->answers_health_check())
      return true;
  return false;
}

void Service::add_summary(nlohmann::json& summary, double end_s) const
{
  summary["requests"] = stats_.counts().arrivals;
  // P(wait): the share of accepted requests that found no free worker (Erlang C's for M/M/c). A
  // request refused because its line was full is counted in neither.
  summary["wait_probability"] = accepted_measured_ > 0 ? static_cast<double>(waited_measured_) / static_cast<double>(accepted_measured_) : 0.0;
  if (pool_.has_group()) {
    pool_.add_group_summary(summary, end_s);
    return;
  }
  // A fixed fleet is reported as configured, with the instances running at the end beside it.
  auto count = instances_.size();
  int alive = 0;
  for (const auto& instance : instances_)
    alive += instance->pooled.is_running() ? 1 : 0;
  summary["instances"] = {{"min", count}, {"max", count}, {"mean", count}, {"at_end", count}, {"alive_at_end", alive}};
}

// ECS replaces a task its load balancer fails; an EC2 group only with health_check_type elb.
void Service::replace_if_unhealthy_counts(Instance& instance, World& world)
{
  pool_.replace_unhealthy(instance.pooled, world, runtime_.replaces_unhealthy);
}

void Service::add_billing(std::vector<BillingLine>& lines, double end_s) const
{
  double instance_hours = pool_.billing(end_s).quantity;
  for (const auto& [item, per_hour] : runtime_.billed_per_hour)
    lines.push_back({item, instance_hours * per_hour});
}

}  // namespace archlab
