#include "sim/components/queue/queue.hpp"

#include "sim/core/world.hpp"
#include "sim/jobs/job_ledger.hpp"

#include <algorithm>
#include <cstdio>
#include <limits>

namespace archlab {

namespace {
constexpr int log_lines_per_kind = 200;  // a busy queue would drown the short view (the streamed log keeps all)
constexpr const char* log_kind_names[] = {"send", "duplicate", "receive", "visible-again", "dead-letter", "expiry", "long-poll", "in-flight-limit"};

std::string seconds(double value_s)
{
  char text[32];
  std::snprintf(text, sizeof text, "%.3f", value_s);
  return text;
}
std::string of_job(std::uint64_t job) { return job != 0 ? " (job " + std::to_string(job) + ")" : ""; }

const Operation send_operation = Operation::named("send");
const Operation receive_operation = Operation::named("receive");
}  // namespace

bool Queue::logs(LogKind kind, double at_s)
{
  if (world_.log().is_complete())
    return true;
  int& count = logged_[kind];
  if (count > log_lines_per_kind)
    return false;
  if (count++ < log_lines_per_kind)
    return true;
  world_.log().add(at_s, id(), std::string("no more ") + log_kind_names[kind] + " lines logged (the first " +
                                   std::to_string(log_lines_per_kind) + " are above)");
  return false;
}

void Queue::accept(const Call& call)
{
  if (call.operation == send_operation) {
    send(call);
    return;
  }
  if (call.operation == receive_operation) {
    const auto* arguments = call.arguments_as<ReceiveArguments>();
    ReceiveRequest request = arguments ? arguments->request : ReceiveRequest{};
    start_receive(request, [call](std::vector<ReceivedMessage> messages, bool is_over_limit) {
      // A message about the job the caller asks after: the job is still waiting to be run.
      bool has_its_job = std::any_of(messages.begin(), messages.end(), [&](const ReceivedMessage& message) {
        return call.request->job != 0 && message.job == call.request->job;
      });
      Answer answer(is_over_limit ? Outcome::failed : Outcome::ok);
      if (has_its_job) {
        answer.status = Status::found;
        answer.item_state = static_cast<std::uint8_t>(JobState::pending);
      }
      call.caller->on_answer(call, answer);
    });
    return;
  }
  if (!has_logged_bad_operation_)
    world_.log().add(clock().now(), id(), std::string("'") + operation_name(call.operation) +
                                      "' is not an SQS call a service can make here: answered failed (logged once)");
  has_logged_bad_operation_ = true;
  stats_.arrive();
  stats_.finish(0, false);
  call.caller->on_answer(call, Outcome::failed);
}

void Queue::send(const Call& call)
{
  double now_s = clock().now();
  ++requests_;
  stats_.arrive();
  const Request& request = *call.request;
  if (request.size_bytes > max_message_size_bytes_) {
    // InvalidParameterValue: refused outright, nothing stored; no retry can make it fit.
    if (!has_logged_oversized_)
      world_.log().add(now_s, id(), "a message of " + std::to_string(request.size_bytes) + " bytes refused: above MaximumMessageSize " +
                                        std::to_string(max_message_size_bytes_) + " (logged once)");
    has_logged_oversized_ = true;
    ++oversized_;
    clock().after(api_latency_s(), [this, call] {
      stats_.finish(0, false);
      call.caller->on_answer(call, Outcome::failed);
    });
    return;
  }
  // SQS bills every 64 KiB chunk of a payload as one request (AWS pricing).
  billed_chunks_ += request.size_bytes > 65536 ? (request.size_bytes + 65535) / 65536 - 1 : 0;
  settle(now_s);
  std::uint64_t job = request.job;
  auto result = core_.send(job, now_s, MessageBody{request.key, request.size_bytes, request.kind});
  if (result.is_enqueued) {
    ++sent_;
    if (job != 0)
      jobs_of(world_).on_sent(job);
    if (logs(LogKind::sent, now_s))
      world_.log().add(now_s, id(), "message " + std::to_string(result.message) + " sent" + of_job(job) +
                       (result.visible_s > now_s ? ", delayed until " + seconds(result.visible_s) : ""));
  } else {
    ++duplicates_dropped_;
    if (logs(LogKind::duplicate, now_s))
      world_.log().add(now_s, id(), "duplicate send" + of_job(job) + " accepted but dropped (deduplication window 300 s)");
  }
  settle(now_s);
  double latency_s = api_latency_s();
  clock().after(latency_s, [this, call, latency_s] {
    stats_.finish(latency_s, true);
    call.caller->on_answer(call, Outcome::ok);
  });
}

void Queue::receive(const ReceiveRequest& request, std::function<void(std::vector<ReceivedMessage>)> on_messages)
{
  // The interface has no error path: an OverLimit short poll comes back empty.
  start_receive(request, [on_messages = std::move(on_messages)](std::vector<ReceivedMessage> messages, bool) { on_messages(std::move(messages)); });
}

void Queue::start_receive(const ReceiveRequest& request, ReceiveAnswer answer)
{
  double now_s = clock().now();
  ++requests_;
  stats_.arrive();
  settle(now_s);
  // A caller cannot say "explicitly 0": a wait of 0 takes the queue's ReceiveMessageWaitTimeSeconds.
  double wait_s = request.wait_time_s > 0 ? request.wait_time_s : receive_wait_time_s_;
  bool is_short_poll = wait_s <= 0;
  auto result = take(request, is_short_poll, now_s);
  settle(now_s);
  if (!result.messages.empty() || is_short_poll) {
    // Only a standard queue's short poll reports OverLimit; a long poll, or FIFO, just gets nothing (AWS).
    result.is_over_limit = result.is_over_limit && is_short_poll && !is_fifo();
    answer_receive(std::move(answer), std::move(result), now_s);
    return;
  }
  std::uint64_t waiter_id = next_waiter_++;
  Waiter& waiter = waiters_[waiter_id];
  waiter.request = request;
  waiter.answer = std::move(answer);
  waiter.arrived_s = now_s;
  waiter.wait_end = clock().after(wait_s, [this, waiter_id] { end_wait(waiter_id); });
}

ReceiveResult Queue::take(const ReceiveRequest& request, bool is_short_poll, double now_s)
{
  auto result = core_.receive(request.max_messages, request.visibility_timeout_s, is_short_poll, now_s, short_poll_rng_);
  received_ += result.messages.size();
  redelivered_ += result.redelivered;
  for (std::size_t i = 0; i < result.messages.size(); ++i) {
    const auto& message = result.messages[i];
    if (message.receive_count == 1)
      first_receive_wait_s_.record(now_s - message.sent_s);
    if (logs(LogKind::received, now_s))
      world_.log().add(now_s, id(), "message " + std::to_string(sqs_receipt_message(message.receipt)) + " received" + of_job(message.job) +
                       ", receive count " + std::to_string(message.receive_count) + ", hidden until " +
                       seconds(result.invisible_until_s[i]));
  }
  if (result.is_over_limit && logs(LogKind::over_limit, now_s))
    world_.log().add(now_s, id(), "in-flight limit reached (" + std::to_string(core_.in_flight()) + " messages): the receive gets nothing");
  for (const auto& letter : result.dead_letters) {
    ++dead_lettered_;
    if (letter.job != 0)
      jobs_of(world_).dead_lettered(letter.job);
    if (logs(LogKind::dead_lettered, now_s))
      world_.log().add(now_s, id(), "message " + std::to_string(letter.message) + of_job(letter.job) + " moved to dead-letter queue " +
                       dead_letter_id_ + " after " + std::to_string(letter.receive_count) + " receives");
    dead_letter_queue_->take_dead_letter(letter, id());
  }
  return result;
}

void Queue::answer_receive(ReceiveAnswer answer, ReceiveResult result, double arrived_s)
{
  if (result.messages.empty())
    ++empty_receives_;
  double latency_s = api_latency_s();
  double took_s = clock().now() - arrived_s + latency_s;
  clock().after(latency_s, [this, answer = std::move(answer), messages = std::move(result.messages), is_over_limit = result.is_over_limit,
                            took_s]() mutable {
    stats_.finish(took_s, !is_over_limit);
    answer(std::move(messages), is_over_limit);
  });
}

void Queue::serve_waiters(double now_s)
{
  if (is_serving_)
    return;  // re-entered through a dead-letter queue that redrives back here: the outer loop goes on
  is_serving_ = true;
  while (!waiters_.empty() && core_.has_receivable()) {
    auto node = waiters_.extract(waiters_.begin());
    Waiter& waiter = node.mapped();
    auto result = take(waiter.request, false, now_s);
    if (result.messages.empty()) {  // all it found went to the dead-letter queue: look again
      waiters_.insert(std::move(node));
      continue;
    }
    clock().cancel(waiter.wait_end);  // nothing when this is the waiter whose wait is ending right now
    if (logs(LogKind::long_poll, now_s))
      world_.log().add(now_s, id(), "long poll answered after " + seconds(now_s - waiter.arrived_s) + " s with " +
                       std::to_string(result.messages.size()) + " message(s)");
    answer_receive(std::move(waiter.answer), std::move(result), waiter.arrived_s);
  }
  is_serving_ = false;
}

void Queue::end_wait(std::uint64_t waiter_id)
{
  double now_s = clock().now();
  auto found = waiters_.find(waiter_id);
  if (found == waiters_.end())
    return;
  found->second.wait_end = {};
  settle(now_s);  // a message due at this very moment still counts
  auto node = waiters_.extract(waiter_id);
  if (node.empty())
    return;
  if (logs(LogKind::long_poll, now_s))
    world_.log().add(now_s, id(), "long poll ended empty after " + seconds(now_s - node.mapped().arrived_s) + " s");
  answer_receive(std::move(node.mapped().answer), {}, node.mapped().arrived_s);
}

void Queue::delete_message(std::uint64_t receipt, std::function<void(bool deleted)> on_done)
{
  double now_s = clock().now();
  ++requests_;
  stats_.arrive();
  settle(now_s);
  auto result = core_.delete_message(receipt, now_s);
  deleted_ += result == DeleteResult::deleted ? 1 : 0;
  settle(now_s);  // may unblock a FIFO group or free in-flight room for a waiting long poll
  double latency_s = api_latency_s();
  clock().after(latency_s, [this, on_done = std::move(on_done), result, latency_s] {
    stats_.finish(latency_s, result != DeleteResult::stale);  // FIFO: ReceiptHandleIsInvalid
    on_done(result == DeleteResult::deleted);
  });
}

void Queue::change_visibility(std::uint64_t receipt, double timeout_s)
{
  double now_s = clock().now();
  ++requests_;
  stats_.arrive();
  settle(now_s);
  bool is_changed = core_.change_visibility(receipt, timeout_s, now_s);
  settle(now_s);
  stats_.finish(api_latency_s(), is_changed);
}

void Queue::take_dead_letter(const DeadLetter& letter, const std::string& from)
{
  double now_s = clock().now();
  settle(now_s);
  auto message = core_.take_dead_letter(letter, now_s);
  ++dead_letters_in_;
  if (logs(LogKind::sent, now_s))
    world_.log().add(now_s, id(), "message " + std::to_string(message) + of_job(letter.job) + " arrived from " + from + " (its message " +
                     std::to_string(letter.message) + ", sent at " + seconds(letter.sent_s) + ")");
  settle(now_s);
}

void Queue::settle(double now_s)
{
  core_.advance(now_s);
  for (const auto& event : core_.take_events()) {
    if (event.kind == QueueEvent::Kind::visible_again) {
      if (logs(LogKind::visible_again, event.at_s))
        world_.log().add(event.at_s, id(), "message " + std::to_string(event.message) + of_job(event.job) + " visible again, receive count " +
                         std::to_string(event.receive_count) + ", received at " + seconds(event.since_s));
    } else if (event.kind == QueueEvent::Kind::expired) {
      ++expired_;
      if (event.job != 0)
        jobs_of(world_).expired(event.job);
      if (logs(LogKind::expired, event.at_s))
        world_.log().add(event.at_s, id(), "message " + std::to_string(event.message) + of_job(event.job) + " expired (sent at " +
                         seconds(event.since_s) + ", retention " + seconds(core_.settings().retention_s) + " s)");
    }
  }
  serve_waiters(now_s);
  update_levels(now_s);
  reschedule();
}

void Queue::on_due(double due_s)
{
  due_timer_ = {};
  settle(std::max(clock().now(), due_s));
}

// One timer for the core's next due moment. A timer that turns out early (its message was deleted)
// is left to run: it finds nothing due and sets the next one, which is cheaper than cancelling.
void Queue::reschedule()
{
  double next_s = core_.next_due_s();
  if (next_s == std::numeric_limits<double>::infinity() || world_.control().is_over())
    return;
  if (due_timer_ && due_timer_s_ <= next_s)
    return;
  clock().cancel(due_timer_);
  due_timer_s_ = next_s;
  due_timer_ = clock().at(next_s, [this, next_s] { on_due(next_s); });
}

void Queue::update_levels(double now_s)
{
  auto visible = static_cast<double>(core_.visible());
  if (stats_.since_s() != depth_max_since_s_) {  // the warm-up ended: the maximum starts again
    depth_max_since_s_ = stats_.since_s();
    depth_max_ = stats_.waiting.level();
  }
  depth_max_ = std::max(depth_max_, visible);
  stats_.waiting.set(now_s, visible);
  stats_.busy.set(now_s, static_cast<double>(core_.in_flight()));
}

}  // namespace archlab
