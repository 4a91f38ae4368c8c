// One invocation: admission (warm, cold or throttled), init, the run and its calls, the timeout, the answer.
#include "sim/components/function/function.hpp"

#include "sim/core/world.hpp"

#include <algorithm>
#include <cstdio>

namespace archlab {

namespace {
std::string seconds_text(double seconds)
{
  char text[32];
  std::snprintf(text, sizeof text, "%g s", seconds);
  return text;
}
}  // namespace

Function::Run& Function::run_of(std::uint32_t environment)
{
  if (environment >= runs_.size())
    runs_.resize(environment + 1);
  return runs_[environment];
}

bool Function::is_under_limit() const
{
  if (reserved_)
    return provisioned_ + on_demand_active_ < *reserved_;
  return account_->unreserved_in_use < account_->unreserved();
}

InvokeAdmission Function::decide(double now_s)
{
  pool_.expire_idle(now_s);
  return admit({.has_idle_provisioned = pool_.idle(true) > 0,
                .has_idle_on_demand = pool_.idle(false) > 0,
                .is_under_limit = is_under_limit(),
                .may_add_environment = scaling_.can_add(now_s)});
}

void Function::accept(const Call& call)
{
  if (call.operation == request_operation) {
    invoke(call, no_event);
    return;
  }
  queue_event(*call.request);  // invoke_async: validation lets nothing else through
}

void Function::change_active(std::uint32_t environment, int delta)
{
  double now_s = clock().now();
  stats_.busy.add(now_s, delta);
  max_concurrency_ = std::max(max_concurrency_, stats_.busy.level());
  if (pool_.at(environment).is_provisioned)
    return;  // counted against the limit from the start
  on_demand_active_ += delta;
  if (!reserved_)
    account_->unreserved_in_use += delta;
}

void Function::invoke(const Call& call, std::int64_t event)
{
  double now_s = clock().now();
  stats_.arrive();
  auto admission = reserved_ && *reserved_ == 0 ? InvokeAdmission::throttled_concurrency : decide(now_s);
  if (is_throttled(admission)) {
    ++throttled_;
    stats_.reject();
    if (event != no_event)
      event_throttled(event);
    else
      clock().after(0, [call] { call.caller->on_answer(call, Answer(Outcome::rejected, Status::throttled)); });
    return;
  }
  ++invocations_;
  std::uint32_t environment;
  if (admission == InvokeAdmission::cold) {
    environment = pool_.add(false);
    scaling_.add(now_s);
  } else {
    environment = *pool_.take_idle(now_s, admission == InvokeAdmission::warm_provisioned);
  }
  Run& run = run_of(environment);
  if (admission == InvokeAdmission::cold || run.connection == 0)
    run.connection = connection_base_ + ++environments_made_;
  run.call = call;
  run.event = event;
  run.arrived_s = now_s;
  run.init_s = 0;
  run.next_call = 0;
  run.learnt = Answer{};
  change_active(environment, +1);
  if (admission != InvokeAdmission::cold) {
    start_run(environment);
    return;
  }
  ++cold_starts_;
  run.init_s = init_s_.sample(work_rng_);
  auto generation = run.generation;
  clock().after(run.init_s, [this, environment, generation] {
    if (runs_[environment].generation != generation)
      return;
    pool_.set_busy(environment);
    start_run(environment);
  });
}

void Function::start_run(std::uint32_t environment)
{
  Run& run = runs_[environment];
  run.started_s = clock().now();
  // A client made outside the handler keeps its connection for the environment's life (the
  // documented advice); the calls carry it, the invoker's request stays as it was sent.
  run.outbound = *run.call.request;
  run.outbound.connection = run.connection;
  auto generation = run.generation;
  run.timeout = clock().after(timeout_s_, [this, environment, generation] {
    if (runs_[environment].generation == generation)
      time_out(environment);
  });
  // A job's own stream: its draws are the same whenever it runs (and the shared stream untouched).
  std::optional<Rng> job_rng;
  if (is_work_per_job_ && run.call.request->job != 0)
    job_rng.emplace(Rng::ShortStream{}, job_work_salt_ ^ (run.call.request->job * 0x9E3779B97F4A7C15ull));
  Rng& work_rng = job_rng ? *job_rng : work_rng_;
  double work_s = work_s_.sample(work_rng) * slow_factor_;
  if (!cpu_s_) {
    clock().after(work_s, [this, environment, generation] { run_done(environment, generation); });
    return;
  }
  // CPU first, on the environment's own core; then the time spent waiting.
  double cpu_s = cpu_s_->sample(work_rng) * slow_factor_;
  auto host = hosts_.take(*world_.compute());
  world_.compute()->run(host, cpu_s, [this, environment, generation, host, work_s] {
    hosts_.give_back(host);
    if (runs_[environment].generation == generation)
      clock().after(work_s, [this, environment, generation] { run_done(environment, generation); });
  });
}

void Function::run_done(std::uint32_t environment, std::uint32_t generation)
{
  if (runs_[environment].generation != generation)
    return;
  // Drawn only while a "fail" fault is on, so runs without one keep their random numbers.
  if (crash_probability_ > 0 && fault_rng_.uniform01() < crash_probability_)
    reset_run(environment, "the handler crashed");
  else
    continue_calls(environment);
}

void Function::continue_calls(std::uint32_t environment)
{
  Run& run = runs_[environment];
  while (run.next_call < calls_.size()) {
    const auto& step = calls_[run.next_call++];
    if (step.probability < 1 && routing_rng_.uniform01() >= step.probability)
      continue;
    std::uint64_t tag = (static_cast<std::uint64_t>(run.generation) << 32) | environment;
    step.site->send(Call{&run.outbound, this, tag, step.site->operation()});
    if (!step.site->is_one_way())
      return;  // on_answer resumes
  }
  end_run(environment, Outcome::ok);
}

void Function::on_answer(const Call& call, const Answer& answer)
{
  if (call.tag & on_failure_tag) {
    release_event(static_cast<std::int64_t>(call.tag & ~on_failure_tag));
    return;
  }
  auto environment = static_cast<std::uint32_t>(call.tag & 0xFFFFFFFFu);
  auto generation = static_cast<std::uint32_t>(call.tag >> 32);
  if (environment >= runs_.size() || runs_[environment].generation != generation)
    return;  // the run timed out meanwhile: it has been answered for
  Run& run = runs_[environment];
  if (answer.status != Status::none) {
    run.learnt.status = answer.status;
    run.learnt.item_state = answer.item_state;
  }
  if (answer.outcome == Outcome::ok)
    continue_calls(environment);
  else
    end_run(environment, Outcome::failed);  // an unhandled error from a call: a function error
}

void Function::end_run(std::uint32_t environment, Outcome outcome)
{
  Run& run = runs_[environment];
  double now_s = clock().now();
  clock().cancel(run.timeout);
  bool is_provisioned = pool_.at(environment).is_provisioned;
  (is_provisioned ? provisioned_gb_s_ : gb_s_) += billed_gb_s(now_s - run.started_s, memory_mb_) + billed_gb_s(run.init_s, memory_mb_);
  if (outcome != Outcome::ok)
    ++errors_;
  stats_.finish(now_s - run.arrived_s, outcome == Outcome::ok);
  ++run.generation;
  change_active(environment, -1);
  pool_.set_idle(environment, now_s);  // a handled or unhandled error keeps the environment (AWS)
  hand_back(run, outcome, run.learnt);
}

void Function::time_out(std::uint32_t environment)
{
  ++timed_out_;
  reset_run(environment, "invocation timed out after " + seconds_text(timeout_s_));
}

// A timeout or a crash: the run is stopped, answered as a function error, and its environment reset,
// so the next invocation there starts a new one.
void Function::reset_run(std::uint32_t environment, const std::string& why)
{
  Run& run = runs_[environment];
  double now_s = clock().now();
  clock().cancel(run.timeout);
  bool is_provisioned = pool_.at(environment).is_provisioned;
  (is_provisioned ? provisioned_gb_s_ : gb_s_) += billed_gb_s(now_s - run.started_s, memory_mb_) + billed_gb_s(run.init_s, memory_mb_);
  ++errors_;
  stats_.finish(now_s - run.arrived_s, false);
  ++run.generation;  // its pending work and calls now find nobody
  change_active(environment, -1);
  pool_.reset(environment);
  Run ended = run;  // reinitialize_provisioned may grow runs_
  if (is_provisioned)
    reinitialize_provisioned();
  if (resets_logged_++ < max_resets_logged)
    world_.log().add(now_s, id(), why + "; its environment is reset");
  hand_back(ended, Outcome::failed, Answer{});
}

// Lambda keeps provisioned concurrency at its level: a reset provisioned environment is replaced,
// its init run in the background (no invocation waits for it, but it is not free until then).
void Function::reinitialize_provisioned()
{
  auto environment = pool_.add(true);
  run_of(environment).connection = 0;  // a new environment: its first call opens a new connection
  auto generation = runs_[environment].generation;
  clock().after(init_s_.sample(work_rng_), [this, environment, generation] {
    if (runs_[environment].generation != generation)
      return;
    pool_.set_busy(environment);
    pool_.set_idle(environment, clock().now());
  });
}

// Last, with copies: the caller may invoke again at once, into this very environment.
void Function::hand_back(const Run& run, Outcome outcome, const Answer& learnt)
{
  if (run.event != no_event) {
    event_finished(run.event, outcome);
    return;
  }
  Call call = run.call;
  Answer answer = learnt;
  answer.outcome = outcome;
  call.caller->on_answer(call, answer);
}

}  // namespace archlab
