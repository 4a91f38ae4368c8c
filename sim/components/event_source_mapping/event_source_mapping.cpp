// The mapping's parameters and checks, its pollers' loop, the ramp, and its figures.
#include "sim/components/event_source_mapping/event_source_mapping.hpp"

#include "sim/core/json_io.hpp"
#include "sim/core/world.hpp"
#include "sim/jobs/job_ledger.hpp"

#include <algorithm>
#include <cstdio>

namespace archlab {

namespace {
constexpr double minute_s = 60;

void check_mapping(const nlohmann::json& params, const std::string& path, std::vector<Problem>& problems)
{
  // AWS (with-sqs.html): a batch over 10 needs a batching window of at least 1 s.
  if (params.at("batch_size").get<int>() > 10 && params.at("maximum_batching_window_s").get<double>() < 1)
    problems.push_back({join_path(path, "maximum_batching_window_s"), "must be at least 1 s with a batch_size over 10 (AWS)"});
}

void check_with_queue(const nlohmann::json& params, const std::string& path, const nlohmann::json& document, std::vector<Problem>& problems)
{
  const auto& components = document.at("components");
  auto queue_id = params.at("queue").get<std::string>();
  if (!components.contains(queue_id))
    return;  // the reference check names it
  if (components.at(queue_id).value("fifo", false) && params.value("batch_size", 10) > 10)
    problems.push_back({join_path(path, "batch_size"), "is at most 10 for a FIFO queue (AWS)"});
}

std::string seconds_text(double seconds)
{
  char text[32];
  std::snprintf(text, sizeof text, "%g s", seconds);
  return text;
}
}  // namespace

ComponentType EventSourceMapping::type_description()
{
  return {
      .name = "event_source_mapping",
      .summary = "Lambda's SQS event source: pollers that gather batches from a queue and invoke a function with each, "
                 "ramping up while messages remain",
      .aws_counterpart = "AWS Lambda event source mapping for Amazon SQS",
      .part_kind = PartKind::poller,
      .params =
          {
              reference_param("queue", Interaction::polling, "the queue the pollers read").required(),
              reference_param("function", Interaction::sync_call, "the function each batch is invoked on, synchronously").required(),
              integer_param("batch_size", 10, "most messages in one invoke (AWS 1..10,000, default 10; at most 10 for FIFO)")
                  .at_least(1).at_most(10000),
              number_param("maximum_batching_window_s", "s", 0, "how long a poller keeps gathering before invoking with a batch not yet "
                                                                "full (AWS 0..300 s; at least 1 s with a batch over 10)").at_least(0).at_most(300),
              boolean_param("report_batch_item_failures", false, "partial batch responses: only the failed messages return to the queue "
                                                                "(a message fails when its job is poison); without, any failure returns the batch"),
              integer_param("maximum_concurrency", nullptr, "most batches in flight at once, so most concurrent invokes (AWS 2..1,000; "
                                                            "absent: up to 1,000 pollers)").at_least(2).at_most(1000),
              number_param("poll_wait_time_s", "s", 20, "a poller's long-poll wait (assumption: 20 s, the SQS maximum)").at_least(0).at_most(20),
              number_param("throttle_backoff_s", "s", 1, "a poller whose invoke was throttled waits this long before polling again; the "
                                                         "batch stays in flight until its visibility timeout (assumption)").at_least(0),
          },
      .create = [](const ComponentSetup& setup) -> std::unique_ptr<Component> { return std::make_unique<EventSourceMapping>(setup); },
      .check = check_mapping,
      .operations = {},  // it only polls and invokes
      .reference_rules = {{"queue", {"queue"}}, {"function", {"function"}}},
      .check_with_model = check_with_queue,
      .fault_actions = {},
      .is_managed_multi_zone = true,
      .signals = {{"pollers", "pollers", SignalKind::gauge, "pollers running (the ramp)"},
                  {"batches_in_flight", "batches", SignalKind::gauge, "invokes waiting for the function's answer"},
                  {"throttled_batches", "batches", SignalKind::counter, "invokes refused by the function (429): their messages go back"}},
      .callers_default_retry = {},
  };
}

EventSourceMapping::EventSourceMapping(const ComponentSetup& setup)
    : Component(setup, "event_source_mapping"),
      world_(setup.world),
      queue_id_(setup.params.at("queue").get<std::string>()),
      function_id_(setup.params.at("function").get<std::string>()),
      batch_settings_{.batch_size = setup.params.at("batch_size").get<int>(),
                      .window_s = setup.params.at("maximum_batching_window_s").get<double>()},
      reports_item_failures_(setup.params.at("report_batch_item_failures").get<bool>()),
      poll_wait_s_(setup.params.at("poll_wait_time_s").get<double>()),
      throttle_backoff_s_(setup.params.at("throttle_backoff_s").get<double>())
{
  std::optional<int> maximum_concurrency;
  if (setup.params.contains("maximum_concurrency") && !setup.params.at("maximum_concurrency").is_null())
    maximum_concurrency = setup.params.at("maximum_concurrency").get<int>();
  limits_ = poller_limits(maximum_concurrency);
}

void EventSourceMapping::accept(const Call& call)
{
  call.caller->on_answer(call, Outcome::failed);
}

void EventSourceMapping::connect(World& world)
{
  auto& queue = world.component(queue_id_);
  queue_ = &dynamic_cast<MessageQueue&>(queue);  // a queue: validation checked what it names
  is_fifo_ = world.model().document.at("components").at(queue_id_).value("fifo", false);
  function_ = &world.component(function_id_);
}

void EventSourceMapping::start(World& world)
{
  // AWS (with-sqs.html) recommends a visibility timeout of at least 6 × the function timeout plus
  // the batching window; it refuses a mapping whose queue's is below the function timeout, but a
  // timeout raised afterwards passes, so the model runs it and says so.
  double function_timeout_s = world.model().document.at("components").at(function_id_).value("timeout_s", 3.0);
  double recommended_s = recommended_visibility_timeout_s(function_timeout_s, batch_settings_.window_s);
  if (queue_->visibility_timeout_s() < recommended_s)
    world.log().add(0, id(), "the queue's visibility timeout of " + seconds_text(queue_->visibility_timeout_s()) +
                                 " is below 6 × the function timeout + the batching window (" + seconds_text(recommended_s) +
                                 "): messages may be received again while their batch still runs");
  set_pollers(limits_.start);
  clock().after(minute_s, [this] { next_minute(); });
}

void EventSourceMapping::set_pollers(int count)
{
  target_pollers_ = count;
  max_pollers_ = std::max(max_pollers_, count);
  while (static_cast<int>(pollers_.size()) < count)
    pollers_.emplace_back();
  for (int i = 0; i < count; ++i) {
    if (pollers_[i].is_running)
      continue;
    pollers_[i].is_running = true;
    poll(i);
  }
}

void EventSourceMapping::next_minute()
{
  bool has_backlog = saw_backlog_ || queue_->visible_messages() > 0;
  saw_backlog_ = false;
  int count = next_poller_count(limits_, target_pollers_, has_backlog);
  if (count != target_pollers_)
    world_.log().add(clock().now(), id(), std::to_string(count) + " pollers (from " + std::to_string(target_pollers_) + ")");
  set_pollers(count);
  clock().after(minute_s, [this] { next_minute(); });
}

void EventSourceMapping::poll(std::size_t poller)
{
  Poller& state = pollers_[poller];
  if (static_cast<int>(poller) >= target_pollers_ && state.batch.empty()) {
    state.is_running = false;  // retired by the ramp; set_pollers starts it again
    return;
  }
  ++receives_;
  ReceiveRequest receive;
  receive.max_messages = messages_to_ask(batch_settings_, state.gathered);
  receive.wait_time_s = poll_wait_s_;
  if (!state.batch.empty())  // gathering: wait no longer than the window has left
    receive.wait_time_s = std::clamp(state.gathered.first_s + batch_settings_.window_s - clock().now(), 0.0, poll_wait_s_);
  queue_->receive(receive, [this, poller](std::vector<ReceivedMessage> messages) { on_messages(poller, std::move(messages)); });
}

void EventSourceMapping::on_messages(std::size_t poller, std::vector<ReceivedMessage> messages)
{
  Poller& state = pollers_[poller];
  double now_s = clock().now();
  if (messages.empty())
    ++empty_receives_;
  else if (queue_->visible_messages() > 0)
    saw_backlog_ = true;  // messages remained after this receive: the ramp's "while messages remain"
  for (auto& message : messages) {
    if (state.batch.empty())
      state.gathered.first_s = now_s;
    ++state.gathered.messages;
    state.gathered.size_bytes += message.body.size_bytes;
    state.batch.push_back(message);
  }
  if (is_batch_ready(batch_settings_, state.gathered, now_s))
    invoke(poller);
  else
    poll(poller);
}

void EventSourceMapping::invoke(std::size_t poller)
{
  Poller& state = pollers_[poller];
  const auto& first = state.batch.front();
  state.request = Request{};
  state.request.sent_s = clock().now();
  state.request.job = first.job;
  state.request.key = first.body.key;
  state.request.kind = first.body.kind;
  state.request.size_bytes = static_cast<std::uint32_t>(std::min<std::uint64_t>(state.gathered.size_bytes, UINT32_MAX));
  ++batches_;
  batch_size_total_ += state.batch.size();
  stats_.arrive();
  stats_.busy.add(clock().now(), 1);
  max_in_flight_ = std::max(max_in_flight_, ++in_flight_);
  function_->accept(Call{&state.request, this, poller, request_operation});
}

void EventSourceMapping::on_answer(const Call& call, const Answer& answer)
{
  auto poller = static_cast<std::size_t>(call.tag);
  Poller& state = pollers_[poller];
  stats_.busy.add(clock().now(), -1);
  --in_flight_;
  bool is_throttled = answer.outcome == Outcome::rejected && answer.status == Status::throttled;
  stats_.finish(clock().now() - state.request.sent_s, answer.outcome == Outcome::ok);
  if (is_throttled) {
    // The handler never ran: the messages stay in flight and come back after their visibility
    // timeout, each receive counted (AWS: throttled batches burn receive count).
    ++throttled_batches_;
    messages_throttled_ += state.batch.size();
  } else {
    settle(poller, answer);
  }
  state.batch.clear();
  state.gathered = {};
  if (is_throttled)
    clock().after(throttle_backoff_s_, [this, poller] { poll(poller); });
  else
    poll(poller);
}

// The handler ran on every message of the batch: each job counts an execution. An item fails when
// its job is poison; what is deleted follows batch_rules; a deleted item's job is done.
void EventSourceMapping::settle(std::size_t poller, const Answer& answer)
{
  Poller& state = pollers_[poller];
  auto& jobs = jobs_of(world_);
  std::vector<bool> item_fails;
  for (const auto& message : state.batch) {
    bool has_job = jobs.exists(message.job);
    if (has_job)
      jobs.execution_started(message.job);
    item_fails.push_back(has_job && jobs.is_poison(message.job));
  }
  messages_invoked_ += state.batch.size();
  auto deletes = messages_to_delete(item_fails, answer.outcome == Outcome::ok, reports_item_failures_, is_fifo_);
  if (std::find(deletes.begin(), deletes.end(), false) != deletes.end())
    ++failed_batches_;
  for (std::size_t i = 0; i < state.batch.size(); ++i) {
    if (!deletes[i]) {
      ++messages_returned_;
      continue;
    }
    ++messages_deleted_;
    if (jobs.exists(state.batch[i].job))
      jobs.result_written(state.batch[i].job, JobState::done, clock().now());
    queue_->delete_message(state.batch[i].receipt, [](bool) {});
  }
}

std::optional<double> EventSourceMapping::signal(std::string_view name) const
{
  if (name == "pollers")
    return target_pollers_;
  if (name == "batches_in_flight")
    return in_flight_;
  if (name == "throttled_batches")
    return static_cast<double>(throttled_batches_);
  return Component::signal(name);
}

void EventSourceMapping::add_summary(nlohmann::json& summary, double) const
{
  summary["pollers"] = {{"at_end", target_pollers_}, {"max", max_pollers_}};
  summary["receives"] = receives_;
  summary["empty_receives"] = empty_receives_;
  summary["batches"] = batches_;
  summary["batch_size_mean"] = batches_ > 0 ? static_cast<double>(batch_size_total_) / static_cast<double>(batches_) : 0.0;
  summary["batches_in_flight_max"] = max_in_flight_;
  summary["throttled_batches"] = throttled_batches_;
  summary["messages_throttled"] = messages_throttled_;
  summary["messages_invoked"] = messages_invoked_;
  summary["failed_batches"] = failed_batches_;
  summary["messages_deleted"] = messages_deleted_;
  summary["messages_returned"] = messages_returned_;
}

}  // namespace archlab
