#include "sim/components/service/service.hpp"

#include "sim/core/clock.hpp"
#include "sim/core/world.hpp"
#include "sim/faults/fault_plan.hpp"

namespace archlab {

class Service::Instance final : public Endpoint {
public:
  Instance(Service& service, std::size_t index) : service_(service), index_(index) {}
  void accept(const Call& call) override { service_.arrive(call, this); }
  bool answers_health_check() const override { return is_alive; }
  std::string endpoint_name() const override { return service_.id() + "#" + std::to_string(index_); }

  std::size_t index() const { return index_; }
  bool is_alive = true;
  std::deque<Waiting> line;
  std::vector<std::size_t> free_workers;  // local indexes, used as a stack

private:
  Service& service_;
  std::size_t index_;
};

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
  fields.push_back(choice_param("operation", operation_names(), "request",
                                "request for a service or load balancer; send or receive for a queue; get, put, update, query or scan for a table"));
  fields.push_back(integer_param("max_messages", 1, "receive: MaxNumberOfMessages").at_least(1).at_most(10));
  fields.push_back(number_param("wait_time_s", "s", 0, "receive: WaitTimeSeconds (above 0: long polling)").at_least(0).at_most(20));
  fields.push_back(number_param("visibility_timeout_s", "s", nullptr, "receive: VisibilityTimeout for the received messages (absent: the queue's)").at_least(0).at_most(43200));
  fields.push_back(boolean_param("conditional", false, "put or update: only if the job has no result yet (a conditional write)"));
  return fields;
}

CallOptions call_options(const nlohmann::json& call)
{
  CallOptions options;
  options.operation = *operation_from_name(call.value("operation", "request"));
  options.max_messages = call.value("max_messages", 1);
  options.wait_time_s = call.value("wait_time_s", 0.0);
  if (call.contains("visibility_timeout_s"))
    options.visibility_timeout_s = call.at("visibility_timeout_s").get<double>();
  options.is_conditional = call.value("conditional", false);
  return options;
}

void check_service(const nlohmann::json& params, const std::string& path, std::vector<Problem>& problems)
{
  double total = 0;
  for (const auto& next : params.value("next", nlohmann::json::array()))
    total += next.at("probability").get<double>();
  if (total > 1 + 1e-9)
    problems.push_back({path + ".next", "probabilities add up to more than 1"});
}
}  // namespace

ComponentType Service::type_description()
{
  auto calls = object_list_param("calls", sync_call_fields(),
                                 "synchronous calls made after the work, in order; the worker waits for each");
  auto work = distribution_param("service_time_ms", "ms", nlohmann::json{{"dist", "exponential"}, {"mean", 10}},
                                 "time a worker spends on one request, before its calls");
  return {
      .name = "service",
      .summary = "instances × concurrency workers with waiting lines, doing work and calling other components",
      .aws_counterpart = "an application on EC2 instances (or ECS tasks)",
      .params =
          {
              integer_param("instances", 1, "number of instances (servers)").at_least(1),
              integer_param("concurrency", 1, "workers per instance: requests one instance handles at once").at_least(1),
              integer_param("queue_capacity", nullptr, "places in each waiting line; an arrival that finds it full is rejected (absent: unbounded)").at_least(0),
              work,
              calls,
              object_list_param("next", call_fields(Interaction::forward, "component the request moves on to"),
                                "where a request goes after this service, freeing the worker (tandem and Jackson networks); the rest leave"),
              object_map_param("handlers", {work.with_default(nullptr), calls},
                               "per request kind: its own service_time_ms and calls (others use the defaults above)"),
          },
      .create = [](const ComponentSetup& setup) -> std::unique_ptr<Component> { return std::make_unique<Service>(setup); },
      .check = check_service,
      .fault_actions = {"kill", "recover"},
  };
}

Service::Service(const ComponentSetup& setup)
    : Component(setup.id, "service"),
      concurrency_(setup.params.at("concurrency").get<int>()),
      service_rng_(setup.world.rng(setup.id + "/service")),
      routing_rng_(setup.world.rng(setup.id + "/routing")),
      params_(setup.params)
{
  if (setup.params.contains("queue_capacity"))
    queue_capacity_ = setup.params.at("queue_capacity").get<std::size_t>();
  int instances = setup.params.at("instances").get<int>();
  workers_.resize(static_cast<std::size_t>(instances * concurrency_));
  for (int i = 0; i < instances; ++i) {
    instances_.push_back(std::make_unique<Instance>(*this, i));
    for (int w = concurrency_ - 1; w >= 0; --w)
      instances_.back()->free_workers.push_back(static_cast<std::size_t>(w));
  }
  stats_.capacity.set(0, instances * concurrency_);
}

Service::Handler Service::read_handler(const nlohmann::json& params, const nlohmann::json& defaults, World& world)
{
  Handler handler;
  std::vector<Problem> ignored;  // validated already
  const auto& work = params.contains("service_time_ms") ? params.at("service_time_ms") : defaults.at("service_time_ms");
  handler.service_time_s = Distribution::parse(work, "", world.model().file.parent_path(), ignored).scaled(1e-3);
  const auto& calls = params.contains("calls") ? params.at("calls") : defaults.value("calls", nlohmann::json::array());
  for (const auto& call : calls) {
    auto id = call.at("target").get<std::string>();
    handler.calls.push_back({id, &world.component(id), call.at("probability").get<double>(), call_options(call)});
  }
  return handler;
}

void Service::connect(World& world)
{
  default_handler_ = read_handler(params_, params_, world);
  for (auto& [kind, handler] : params_.value("handlers", nlohmann::json::object()).items())
    handlers_by_kind_.emplace_back(world.kind_id(kind), read_handler(handler, params_, world));
  for (const auto& next : params_.value("next", nlohmann::json::array())) {
    auto id = next.at("target").get<std::string>();
    next_.push_back({id, &world.component(id), next.at("probability").get<double>()});
  }
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
    result.push_back(instance.get());
  return result;
}

bool Service::answers_health_check() const
{
  for (const auto& instance : instances_)
    if (instance->is_alive)
      return true;
  return false;
}

Service::Instance* Service::instance_with_free_worker()
{
  for (auto& instance : instances_)
    if (instance->is_alive && !instance->free_workers.empty())
      return instance.get();
  return nullptr;
}

void Service::accept(const Call& call)
{
  arrive(call, nullptr);
}

void Service::arrive(const Call& call, Instance* instance)
{
  double now_s = now();
  stats_.arrive();
  if (instance ? !instance->is_alive : !answers_health_check()) {  // connection refused
    stats_.finish(0, false);
    call.caller->on_answer(call, Outcome::failed);
    return;
  }
  Instance* chosen = instance ? instance : instance_with_free_worker();
  if (chosen && !chosen->free_workers.empty()) {
    auto worker = chosen->free_workers.back();
    chosen->free_workers.pop_back();
    begin(*chosen, worker, {call, now_s});
    return;
  }
  auto& line = instance ? instance->line : shared_line_;
  if (queue_capacity_ && line.size() >= *queue_capacity_) {
    stats_.reject();
    call.caller->on_answer(call, Outcome::rejected);
    return;
  }
  line.push_back({call, now_s});
  stats_.waiting.add(now_s, 1);
}

void Service::begin(Instance& instance, std::size_t worker_index, const Waiting& waiting)
{
  auto global = instance.index() * static_cast<std::size_t>(concurrency_) + worker_index;
  Worker& worker = workers_[global];
  worker.call = waiting.call;
  worker.arrived_s = waiting.arrived_s;
  worker.handler = &handler_for(waiting.call.request->kind);
  worker.next_call = 0;
  worker.is_busy = true;
  stats_.busy.add(now(), 1);
  auto generation = worker.generation;
  after(worker.handler->service_time_s.sample(service_rng_), [this, global, generation] {
    if (workers_[global].generation == generation)
      continue_work(global);
  });
}

void Service::continue_work(std::size_t global_worker)
{
  Worker& worker = workers_[global_worker];
  while (worker.next_call < worker.handler->calls.size()) {
    const auto& step = worker.handler->calls[worker.next_call++];
    if (step.probability < 1 && routing_rng_.uniform01() >= step.probability)
      continue;
    std::uint64_t tag = (static_cast<std::uint64_t>(worker.generation) << 32) | global_worker;
    step.endpoint->accept(Call{worker.call.request, this, tag, &step.options});
    return;  // on_answer resumes
  }
  finish(global_worker, Outcome::ok);
}

void Service::on_answer(const Call& call, Outcome outcome)
{
  auto global = static_cast<std::size_t>(call.tag & 0xFFFFFFFFu);
  auto generation = static_cast<std::uint32_t>(call.tag >> 32);
  if (workers_[global].generation != generation || !workers_[global].is_busy)
    return;  // the instance died meanwhile and has already answered for this request
  if (outcome == Outcome::ok)
    continue_work(global);
  else
    finish(global, Outcome::failed);  // a failed dependency fails the request (HTTP 500)
}

void Service::finish(std::size_t global_worker, Outcome outcome)
{
  Worker& worker = workers_[global_worker];
  Call call = worker.call;
  double now_s = now();
  stats_.finish(now_s - worker.arrived_s, outcome == Outcome::ok);
  Instance& instance = *instances_[global_worker / concurrency_];
  release(instance, global_worker % concurrency_);

  const Target* next = nullptr;
  if (outcome == Outcome::ok && !next_.empty()) {
    double draw = routing_rng_.uniform01();
    for (const auto& candidate : next_) {
      if (draw < candidate.probability) {
        next = &candidate;
        break;
      }
      draw -= candidate.probability;
    }
  }
  // Calls out go last: they may come straight back into this service.
  if (next)
    next->endpoint->accept(call);
  else
    call.caller->on_answer(call, outcome);
}

std::optional<Service::Waiting> Service::next_waiting(Instance& instance)
{
  auto& line = !instance.line.empty() ? instance.line : shared_line_;
  if (line.empty())
    return std::nullopt;
  Waiting waiting = line.front();
  line.pop_front();
  stats_.waiting.add(now(), -1);
  return waiting;
}

void Service::release(Instance& instance, std::size_t worker_index)
{
  auto global = instance.index() * static_cast<std::size_t>(concurrency_) + worker_index;
  workers_[global].is_busy = false;
  stats_.busy.add(now(), -1);
  if (auto waiting = next_waiting(instance))
    begin(instance, worker_index, *waiting);
  else
    instance.free_workers.push_back(worker_index);
}

void Service::kill(Instance& instance, World& world)
{
  if (!instance.is_alive)
    return;
  double now_s = now();
  instance.is_alive = false;
  stats_.capacity.add(now_s, -concurrency_);
  std::vector<Call> broken;
  for (int w = 0; w < concurrency_; ++w) {
    Worker& worker = workers_[instance.index() * concurrency_ + w];
    ++worker.generation;
    if (worker.is_busy) {
      worker.is_busy = false;
      stats_.busy.add(now_s, -1);
      stats_.finish(0, false);
      broken.push_back(worker.call);
    }
  }
  instance.free_workers.clear();
  for (const auto& waiting : instance.line) {
    stats_.finish(0, false);
    broken.push_back(waiting.call);
  }
  stats_.waiting.add(now_s, -static_cast<double>(instance.line.size()));
  instance.line.clear();
  if (!answers_health_check()) {  // nobody left to serve the shared line
    for (const auto& waiting : shared_line_) {
      stats_.finish(0, false);
      broken.push_back(waiting.call);
    }
    stats_.waiting.add(now_s, -static_cast<double>(shared_line_.size()));
    shared_line_.clear();
  }
  world.log().add(now_s, id(), instance.endpoint_name() + " killed: " + std::to_string(broken.size()) + " requests in progress failed");
  for (const auto& call : broken)
    call.caller->on_answer(call, Outcome::failed);
}

void Service::recover(Instance& instance, World& world)
{
  if (instance.is_alive)
    return;
  instance.is_alive = true;
  stats_.capacity.add(now(), concurrency_);
  world.log().add(now(), id(), instance.endpoint_name() + " recovered");
  for (int w = concurrency_ - 1; w >= 0; --w)
    instance.free_workers.push_back(static_cast<std::size_t>(w));
  while (!instance.free_workers.empty() && !shared_line_.empty()) {
    auto worker = instance.free_workers.back();
    instance.free_workers.pop_back();
    begin(instance, worker, *next_waiting(instance));
  }
}

void Service::apply_fault(const FaultEvent& fault, World& world)
{
  for (auto& instance : instances_) {
    if (fault.instance >= 0 && static_cast<int>(instance->index()) != fault.instance)
      continue;
    if (fault.action == "kill")
      kill(*instance, world);
    else
      recover(*instance, world);
  }
}

void Service::add_summary(nlohmann::json& summary, double) const
{
  int alive = 0;
  for (const auto& instance : instances_)
    alive += instance->is_alive ? 1 : 0;
  summary["instances"] = {{"count", instances_.size()}, {"alive_at_end", alive}};
}

}  // namespace archlab
