#include "sim/components/consumers/consumers.hpp"

#include "sim/components/worker_limit.hpp"
#include "sim/core/world.hpp"
#include "sim/instances/image_pull.hpp"
#include "sim/jobs/job_ledger.hpp"
#include "sim/report/cost.hpp"
#include "sim/scaling/auto_scaling_group.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace archlab {

namespace {
constexpr double never = std::numeric_limits<double>::infinity();

std::vector<ParamSpec> step_fields()
{
  std::vector<ParamSpec> fields = {
      text_param("name", "the step's name (a crash fault names the step it happens at)").required(),
      distribution_param("cpu_ms", "ms", nullptr,
                         "CPU the step uses, in ms of one reference vCPU (models/platform/), before work_ms: it shares the instance's "
                         "vCPUs with its other workers"),
      distribution_param("work_ms", "ms", nullptr, "time the step computes (for the step that runs the job: the code's run time)"),
      reference_param("target", Interaction::sync_call, "component the step calls, waiting for its answer (e.g. the table)"),
      operation_param("what the call asks: one its target's type declares (get, put, update, ... for a table); that operation's "
                      "arguments (a put's conditional, ...) go beside it"),
      boolean_param("runs_job", false, "this step runs the job's code: counted as an execution"),
      number_param("time_limit_s", "s", nullptr, "runs_job: stop the code after this long, as an error (absent: no limit)").above(0),
      boolean_param("writes_result", false, "this step's call writes the job's result (the job is done once it succeeds)"),
      boolean_param("deletes_message", false, "this step deletes the message from the queue (DeleteMessage)"),
      boolean_param("skip_if_finished", false, "after this step's read, a job already finished skips to the step that deletes"),
  };
  for (auto& policy_field : call_policy_fields())
    fields.push_back(std::move(policy_field));
  return fields;
}

std::string instance_name(const std::string& id, std::size_t index) { return id + "#" + std::to_string(index); }

OnError on_error_from(const std::string& name)
{
  return name == "leave" ? OnError::leave : name == "delete_message" ? OnError::delete_message : OnError::record_failure;
}

nlohmann::json seed_like_steps()
{
  // Defaults are not validated, so its steps lack the fields left at their defaults: read them with value().
  return nlohmann::json::array({{{"name", "run"}, {"work_ms", 100}, {"runs_job", true}, {"writes_result", false}},
                                {{"name", "delete"}, {"deletes_message", true}}});
}

void check_consumers(const nlohmann::json& params, const std::string& path, std::vector<Problem>& problems)
{
  check_worker_count(params, "workers_per_instance", path, problems);
  const auto& steps = params.at("steps");
  if (steps.empty())
    problems.push_back({path + ".steps", "needs at least one step (a worker with nothing to do never deletes a message)"});
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const auto& step = steps[i];
    auto step_path = path + ".steps[" + std::to_string(i) + "]";
    if (step.value("writes_result", false) && !step.contains("target"))
      problems.push_back({step_path + ".writes_result", "the step that writes the result needs a target to write to"});
    if (step.contains("target") && step.value("deletes_message", false))
      problems.push_back({step_path, "a step either calls a target or deletes the message, not both"});
    if (step.contains("time_limit_s") && !step.value("runs_job", false))
      problems.push_back({step_path + ".time_limit_s", "only the step that runs the job has a time limit"});
    check_call_policy(step, step_path, problems);
  }
  if (params.contains("scaling")) {
    AutoScalingGroup::check(params.at("scaling"), path + ".scaling", problems);
    if (params.at("instances").get<int>() != 1)
      problems.push_back({path + ".instances", "leave it out with scaling: the group sets the count (scaling.desired, else scaling.min)"});
  }
}
}  // namespace

ComponentType Consumers::type_description()
{
  return {
      .name = "consumers",
      .summary = "worker processes that poll a queue and handle each message through steps (a worker loop as data)",
      .aws_counterpart = "EC2 instances (an Auto Scaling group) running an SQS consumer",
      .part_kind = PartKind::compute,
      .params =
          {
              reference_param("queue", Interaction::polling, "the queue the workers poll").required(),
              integer_param("instances", 1, "number of instances; with scaling, the group decides (at most 10,000)").at_least(0).at_most(10000),
              integer_param("workers_per_instance", 1, "worker loops per instance, each handling one message at a time (at most 10,000; "
                                                       "instances × workers_per_instance at most 1,000,000)").at_least(1).at_most(10000),
              number_param("wait_time_s", "s", 0, "ReceiveMessage WaitTimeSeconds: above 0 is a long poll (AWS maximum 20)").at_least(0).at_most(20),
              integer_param("max_messages", 1, "ReceiveMessage MaxNumberOfMessages (AWS maximum 10)").at_least(1).at_most(10),
              number_param("visibility_timeout_s", "s", nullptr, "VisibilityTimeout asked for on receive (absent: the queue's)").at_least(0).at_most(43200),
              distribution_param("pause_s", "s", 0, "sleep after each poll and its messages, whatever happened (the seed sleeps 10 s)"),
              object_list_param("steps", step_fields(), "what a worker does with each message, in order").with_default(seed_like_steps()),
              choice_param("on_error", {"leave", "delete_message", "record_failure"}, "leave",
                           "after a failed step: leave (log and move on: the message returns after its visibility timeout), "
                           "delete_message, or record_failure (the job is marked failed, then the message deleted)"),
              number_param("restart_after_crash_s", "s", 5, "a crashed worker process is restarted by its supervisor after this long (assumption)").at_least(0),
              choice_param("instance_type", ec2_instance_types(), "t3.micro",
                           "EC2 instance type: the bill (models/prices/), and the vCPUs cpu_ms runs on (models/platform/)"),
              AutoScalingGroup::scaling_param(),
              image_pull_param(),
          },
      .create = [](const ComponentSetup& setup) -> std::unique_ptr<Component> { return std::make_unique<Consumers>(setup); },
      .check = check_consumers,
      .operations = {},  // it only polls and calls
      .reference_rules = {{"scaling.policies[].queue", {"queue"}}, {"image_pull.routes[].through", {"nat_gateway", "vpc_endpoint"}}},
      .check_with_model = check_image_pull,
      .fault_actions = {"kill", "recover", "hang", "crash", "zone_outage"},
  };
}

Consumers::Consumers(const ComponentSetup& setup)
    : Component(setup, "consumers"),
      world_(setup.world),
      queue_id_(setup.params.at("queue").get<std::string>()),
      workers_per_instance_(setup.params.at("workers_per_instance").get<int>()),
      on_error_(on_error_from(setup.params.at("on_error").get<std::string>())),
      restart_after_crash_s_(setup.params.at("restart_after_crash_s").get<double>()),
      work_rng_(setup.world.rng(setup.id + "/work")),
      pause_rng_(setup.world.rng(setup.id + "/pause")),
      cpu_rng_(setup.world.rng(setup.id + "/cpu")),
      instance_type_(setup.params.at("instance_type").get<std::string>()),
      pool_(setup.id, setup.params, {"instance", "ec2." + setup.params.at("instance_type").get<std::string>() + ".hour"},
            workers_per_instance_, *this, setup.world)
{
  std::vector<Problem> ignored;  // validated already
  receive_.max_messages = setup.params.at("max_messages").get<int>();
  receive_.wait_time_s = setup.params.at("wait_time_s").get<double>();
  if (setup.params.contains("visibility_timeout_s"))
    receive_.visibility_timeout_s = setup.params.at("visibility_timeout_s").get<double>();
  pause_s_ = Distribution::parse(setup.params.at("pause_s"), "", setup.world.model().file.parent_path(), ignored);  // seconds already
  step_specs_ = setup.params.at("steps");
  for (const auto& spec : step_specs_) {
    Step step;
    step.name = spec.at("name").get<std::string>();
    if (spec.contains("cpu_ms") && !spec.at("cpu_ms").is_null()) {
      if (!setup.world.compute())
        throw std::logic_error(setup.id + ": cpu_ms runs on SimGrid's platform (sim/platform/), and this world has none");
      step.cpu_s = setup.world.seconds_of(spec.at("cpu_ms"));
    }
    if (spec.contains("work_ms"))
      step.work_s = setup.world.seconds_of(spec.at("work_ms"));
    step.target_id = spec.value("target", "");
    step.time_limit_s = spec.value("time_limit_s", never);
    steps_.push_back(step);
    traits_.push_back({spec.value("runs_job", false), spec.value("writes_result", false), spec.value("deletes_message", false),
                       spec.value("skip_if_finished", false)});
  }
}

Consumers::~Consumers() = default;

void Consumers::accept(const Call& call)
{
  call.caller->on_answer(call, Outcome::failed);
}

void Consumers::connect(World& world)
{
  queue_ = &dynamic_cast<MessageQueue&>(world.component(queue_id_));  // a queue: validation checked what it names
  for (std::size_t i = 0; i < steps_.size(); ++i)
    if (!steps_[i].target_id.empty())
      steps_[i].site = &call_sites_.add(world, step_specs_.at(i), id() + "/retry/steps[" + std::to_string(i) + "]");
  pool_.connect(world);
}

void Consumers::start(World& world)
{
  pool_.add_initial_instances();  // now: their workers poll a connected queue
  if (std::any_of(steps_.begin(), steps_.end(), [](const Step& step) { return step.cpu_s.has_value(); })) {
    pool_.reads_cpu_model();
    for (std::size_t i = 0; i < instances_.size(); ++i)  // hosts made before the platform is sealed are cheaper
      instances_[i].pooled->cpu_host = hosts_.of(*world.compute(), i, instance_name(id(), i), instance_type_, instances_[i].pooled->zone);
  }
  pool_.start(world);
}

bool Consumers::may_work(std::size_t worker, std::uint32_t generation) const
{
  const auto& instance = *instances_[workers_[worker].instance].pooled;
  return workers_[worker].generation == generation && instance.is_running() && !instance.is_hung;
}

std::uint64_t Consumers::tag(std::size_t worker) const
{
  return (static_cast<std::uint64_t>(workers_[worker].generation) << 32) | worker;
}

void Consumers::set_busy(Worker& worker, bool is_busy)
{
  if (worker.is_busy == is_busy)
    return;
  worker.is_busy = is_busy;
  double delta = is_busy ? 1 : -1;
  stats_.busy.add(clock().now(), delta);
  instances_[worker.instance].pooled->busy.add(clock().now(), delta);
}

void Consumers::poll(std::size_t worker)
{
  const auto& instance = *instances_[workers_[worker].instance].pooled;
  if (instance.life == Life::retiring) {
    stop_worker(worker);
    return;
  }
  if (!instance.is_running() || instance.is_hung)
    return;
  ++polls_;
  auto generation = workers_[worker].generation;
  queue_->receive(receive_, [this, worker, generation](std::vector<ReceivedMessage> batch) {
    if (may_work(worker, generation))
      on_batch(worker, std::move(batch));
  });
}

void Consumers::on_batch(std::size_t worker, std::vector<ReceivedMessage> batch)
{
  if (batch.empty()) {
    ++empty_polls_;
    pause_then_poll(worker);
    return;
  }
  Worker& state = workers_[worker];
  instances_[state.instance].pooled->requests += batch.size();
  state.batch = std::move(batch);
  state.next_message = 0;
  next_message(worker);
}

void Consumers::next_message(std::size_t worker)
{
  Worker& state = workers_[worker];
  if (state.next_message >= state.batch.size()) {
    state.batch.clear();
    set_busy(state, false);
    pause_then_poll(worker);
    return;
  }
  const auto& message = state.batch[state.next_message];
  stats_.arrive();
  set_busy(state, true);
  state.message_started_s = clock().now();
  state.request.job = message.job;
  state.request.key = message.body.key;  // the worker's calls are about the message's item
  state.request.size_bytes = message.body.size_bytes;
  state.job_seen = JobState::unknown;
  state.step = 0;
  run_step(worker);
}

void Consumers::run_step(std::size_t worker)
{
  Worker& state = workers_[worker];
  const Step& step = steps_[state.step];
  auto armed = armed_crashes_.find(step.name);
  if (armed != armed_crashes_.end() && armed->second > 0) {
    --armed->second;
    crash(worker);
    return;
  }
  double work_s = step.work_s ? step.work_s->sample(work_rng_) : 0.0;
  bool fails = false;
  if (traits_[state.step].runs_job) {
    ++executions_;
    bool is_poison = false, is_never_ending = false;
    if (jobs_of(world_).exists(state.request.job)) {
      jobs_of(world_).execution_started(state.request.job);
      is_poison = jobs_of(world_).is_poison(state.request.job);
      is_never_ending = jobs_of(world_).is_never_ending(state.request.job);
    }
    auto run = run_code(work_s, is_poison, is_never_ending, step.time_limit_s);
    work_s = run.duration_s;
    fails = run.fails;
    if (fails && std::isfinite(step.time_limit_s) && work_s == step.time_limit_s)
      world_.log().add(clock().now() + work_s, id(), "job " + std::to_string(state.request.job) + " stopped at its time limit of " +
                                                 std::to_string(static_cast<int>(step.time_limit_s)) + " s");
  }
  if (std::isinf(work_s))
    return;  // code that never ends holds this worker for good
  auto generation = state.generation;
  if (!step.cpu_s) {
    spend_step(worker, generation, work_s, fails);
    return;
  }
  double cpu_s = step.cpu_s->sample(cpu_rng_);
  auto host = hosts_.of(*world_.compute(), state.instance, instance_name(id(), state.instance), instance_type_,
                        instances_[state.instance].pooled->zone);
  instances_[state.instance].pooled->cpu_host = host;
  world_.compute()->run(host, cpu_s, [this, worker, generation, work_s, fails] {
    if (may_work(worker, generation))
      spend_step(worker, generation, work_s, fails);
  });
}

void Consumers::spend_step(std::size_t worker, std::uint32_t generation, double work_s, bool fails)
{
  if (work_s <= 0 && !fails) {
    call_or_finish_step(worker);
    return;
  }
  clock().after(work_s, [this, worker, generation, fails] {
    if (!may_work(worker, generation))
      return;
    if (fails)
      finish_step(worker, false);
    else
      call_or_finish_step(worker);
  });
}

void Consumers::call_or_finish_step(std::size_t worker)
{
  Worker& state = workers_[worker];
  const Step& step = steps_[state.step];
  if (step.site) {
    step.site->send(Call{&state.request, this, tag(worker), step.site->operation()});
    if (step.site->is_one_way())
      finish_step(worker, true);  // delivered: nothing to wait for
    return;
  }
  if (traits_[state.step].deletes_message) {
    auto generation = state.generation;
    queue_->delete_message(state.batch[state.next_message].receipt, [this, worker, generation](bool deleted) {
      if (may_work(worker, generation))
        finish_step(worker, deleted);
    });
    return;
  }
  finish_step(worker, true);
}

void Consumers::on_answer(const Call& call, const Answer& answer)
{
  auto worker = static_cast<std::size_t>(call.tag & 0xFFFFFFFFu);
  auto generation = static_cast<std::uint32_t>(call.tag >> 32);
  if (!may_work(worker, generation))
    return;
  if (answer.status != Status::none)
    workers_[worker].job_seen = job_state_of(answer.item_state);
  finish_step(worker, answer.outcome == Outcome::ok, answer.status == Status::condition_failed);
}

void Consumers::finish_step(std::size_t worker, bool ok, bool is_condition_failed)
{
  Worker& state = workers_[worker];
  auto job = state.request.job;
  if (ok && traits_[state.step].writes_result && jobs_of(world_).exists(job) && !is_condition_failed)
    jobs_of(world_).result_written(job, JobState::done, clock().now());
  auto move = after_step(traits_, state.step, ok, state.job_seen);
  if (move.kind == NextMove::error) {
    handle_error(worker);
  } else if (move.kind == NextMove::finished) {
    message_done(worker, true);
  } else {
    state.step = move.index;
    run_step(worker);
  }
}

void Consumers::handle_error(std::size_t worker)
{
  ++errors_;
  Worker& state = workers_[worker];
  if (on_error_ == OnError::leave) {
    message_done(worker, false);
    return;
  }
  if (on_error_ == OnError::record_failure && jobs_of(world_).exists(state.request.job))
    jobs_of(world_).result_written(state.request.job, JobState::failed, clock().now());
  auto generation = state.generation;
  queue_->delete_message(state.batch[state.next_message].receipt, [this, worker, generation](bool) {
    if (may_work(worker, generation))
      message_done(worker, false);
  });
}

void Consumers::message_done(std::size_t worker, bool ok)
{
  Worker& state = workers_[worker];
  stats_.finish(clock().now() - state.message_started_s, ok);
  ++state.next_message;
  next_message(worker);
}

void Consumers::pause_then_poll(std::size_t worker)
{
  double pause_s = pause_s_.sample(pause_rng_);
  auto generation = workers_[worker].generation;
  clock().after(pause_s, [this, worker, generation] {
    if (may_work(worker, generation))
      poll(worker);
  });
}

}  // namespace archlab
