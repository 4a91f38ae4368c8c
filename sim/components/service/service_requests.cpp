// The request path of a service: arrival, a worker's work and calls, its answer, the next in line.
#include "sim/components/service/service.hpp"

#include "sim/components/service/service_instance.hpp"
#include "sim/core/key_versions.hpp"
#include "sim/core/world.hpp"

namespace archlab {

Service::Instance* Service::instance_with_free_worker()
{
  for (auto& instance : instances_)
    if (instance->takes_work() && !instance->free_workers.empty())
      return instance.get();
  return nullptr;
}

bool Service::has_instance_taking_work() const
{
  return pool_.has_instance_taking_work();
}

void Service::accept(const Call& call)
{
  arrive(call, nullptr);
}

void Service::arrive(const Call& call, Instance* instance)
{
  double now_s = clock().now();
  stats_.arrive();
  if (instance ? !instance->pooled.is_running() : !has_instance_taking_work()) {  // connection refused
    stats_.finish(0, false);
    call.caller->on_answer(call, Outcome::failed);
    return;
  }
  Instance* chosen = instance ? instance : instance_with_free_worker();
  if (chosen && !chosen->free_workers.empty()) {
    accepted_measured_ += call.request->is_measured;
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
  accepted_measured_ += call.request->is_measured;
  waited_measured_ += call.request->is_measured;
}

void Service::begin(Instance& instance, std::size_t worker_index, const Waiting& waiting)
{
  double now_s = clock().now();
  auto global = instance.index() * static_cast<std::size_t>(concurrency_) + worker_index;
  Worker& worker = workers_[global];
  worker.call = waiting.call;
  worker.arrived_s = waiting.arrived_s;
  worker.handler = &handler_for(waiting.call.request->kind);
  worker.next_call = 0;
  worker.is_busy = true;
  worker.learnt = Answer{};
  stats_.busy.add(now_s, 1);
  ++instance.busy_workers;
  instance.pooled.busy.add(now_s, 1);
  ++instance.pooled.requests;
  if (instance.pooled.is_hung)
    return;  // taken, and never finished
  auto generation = worker.generation;
  double work_s = worker.handler->service_time_s.sample(service_rng_) * instance.slow_factor;
  if (!worker.handler->cpu_s) {
    spend(global, generation, work_s);
    return;
  }
  // CPU first, on the instance's vCPUs shared with its other workers; then the time spent waiting.
  double cpu_s = worker.handler->cpu_s->sample(cpu_rng_) * instance.slow_factor;
  auto host = hosts_.of(*world_.compute(), instance.index(), instance.endpoint_name(), runtime_.host_type, instance.pooled.zone);
  instance.pooled.cpu_host = host;
  world_.compute()->run(host, cpu_s, [this, global, generation, work_s] {
    if (workers_[global].generation == generation)
      spend(global, generation, work_s);
  });
}

void Service::spend(std::size_t global_worker, std::uint32_t generation, double work_s)
{
  clock().after(work_s, [this, global_worker, generation] {
    if (workers_[global_worker].generation == generation)
      work_done(global_worker);
  });
}

void Service::work_done(std::size_t global_worker)
{
  const Instance& instance = *instances_[global_worker / concurrency_];
  // Only drawn while a "fail" fault is on, so runs without one keep their random numbers.
  if (instance.failure_probability > 0 && fault_rng_.uniform01() < instance.failure_probability)
    finish(global_worker, Outcome::failed);
  else
    continue_work(global_worker);
}

void Service::continue_work(std::size_t global_worker)
{
  Worker& worker = workers_[global_worker];
  while (worker.next_call < worker.handler->calls.size()) {
    const auto& step = worker.handler->calls[worker.next_call++];
    if (step.probability < 1 && routing_rng_.uniform01() >= step.probability)
      continue;
    std::uint64_t tag = (static_cast<std::uint64_t>(worker.generation) << 32) | global_worker;
    step.site->send(Call{worker.call.request, this, tag, step.site->operation()});
    if (step.site->is_one_way())
      continue;  // delivered: nothing to wait for
    return;    // on_answer resumes
  }
  finish(global_worker, Outcome::ok);
}

void Service::on_answer(const Call& call, const Answer& answer)
{
  auto global = static_cast<std::size_t>(call.tag & 0xFFFFFFFFu);
  auto generation = static_cast<std::uint32_t>(call.tag >> 32);
  if (workers_[global].generation != generation || !workers_[global].is_busy)
    return;  // the instance died or hung meanwhile: it has answered for this request, or never will
  if (answer.status != Status::none) {
    workers_[global].learnt.status = answer.status;
    workers_[global].learnt.item_state = answer.item_state;
  }
  if (answer.outcome == Outcome::ok)
    continue_work(global);
  else
    finish(global, Outcome::failed);  // a failed dependency fails the request (HTTP 500)
}

void Service::finish(std::size_t global_worker, Outcome outcome)
{
  Worker& worker = workers_[global_worker];
  Call call = worker.call;
  Answer answer = worker.learnt;
  answer.outcome = outcome;
  if (outcome == Outcome::ok && worker.handler->writes)
    key_versions_of(world_).write(call.request->key);
  double now_s = clock().now();
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
    call.caller->on_answer(call, answer);
}

std::optional<Service::Waiting> Service::next_waiting(Instance& instance)
{
  // A retiring instance finishes its own line but takes nothing more from the shared one.
  auto& line = !instance.line.empty() || !instance.takes_work() ? instance.line : shared_line_;
  if (line.empty())
    return std::nullopt;
  Waiting waiting = line.front();
  line.pop_front();
  stats_.waiting.add(clock().now(), -1);
  return waiting;
}

void Service::release(Instance& instance, std::size_t worker_index)
{
  double now_s = clock().now();
  auto global = instance.index() * static_cast<std::size_t>(concurrency_) + worker_index;
  workers_[global].is_busy = false;
  stats_.busy.add(now_s, -1);
  --instance.busy_workers;
  instance.pooled.busy.add(now_s, -1);
  if (auto waiting = next_waiting(instance))
    begin(instance, worker_index, *waiting);
  else
    instance.free_workers.push_back(worker_index);
  if (instance.pooled.life == Life::retiring && instance.is_idle())
    finish_retirement(instance);
}

void Service::serve_waiting(Instance& instance)
{
  while (!instance.free_workers.empty()) {
    auto waiting = next_waiting(instance);
    if (!waiting)
      return;
    auto worker = instance.free_workers.back();
    instance.free_workers.pop_back();
    begin(instance, worker, *waiting);
  }
}

}  // namespace archlab
