#include "sim/components/queue/queue_core.hpp"

#include <algorithm>

namespace archlab {

namespace {
constexpr double never_s = std::numeric_limits<double>::infinity();
}

// Every change to a group goes through here, so that a FIFO group is in `ready_` exactly when a
// receive may take from it, filed under its current head.
template <class Change>
void QueueCore::change_group(std::uint64_t key, Change&& change)
{
  Group& group = groups_[key];
  if (is_ready(group))
    ready_.erase({group.visible.begin()->first, key});
  change(group);
  if (is_ready(group))
    ready_.insert({group.visible.begin()->first, key});
  if (group.visible.empty() && group.in_flight == 0)
    groups_.erase(key);
}

bool QueueCore::is_duplicate(std::uint64_t job, double now_s)
{
  while (!dedup_order_.empty() && dedup_order_.front().first + sqs_dedup_window_s <= now_s) {
    auto [seen_s, old_job] = dedup_order_.front();
    dedup_order_.pop_front();
    if (dedup_seen_s_[old_job] == seen_s)
      dedup_seen_s_.erase(old_job);
  }
  if (dedup_seen_s_.contains(job))
    return true;  // the window runs from the first send: duplicates do not extend it
  dedup_seen_s_[job] = now_s;
  dedup_order_.emplace_back(now_s, job);
  return false;
}

SendResult QueueCore::send(std::uint64_t job, double now_s, const MessageBody& body)
{
  advance(now_s);
  // The ID stays tracked after the message is deleted (AWS), so the check comes before anything else.
  if (settings_.is_fifo && settings_.is_dedup_per_job && job != 0 && is_duplicate(job, now_s))
    return {};
  std::uint64_t group = 0;
  if (settings_.is_fifo && (settings_.is_group_per_job || settings_.is_group_per_key)) {
    std::uint64_t named = settings_.is_group_per_job ? job : body.key;
    group = named != 0 ? named : (next_id_ | (std::uint64_t{1} << 63));  // none: a group of its own
  }
  double visible_s = now_s + settings_.delay_s;
  return {true, enqueue(job, group, now_s, visible_s, now_s, body), visible_s};
}

std::uint64_t QueueCore::take_dead_letter(const DeadLetter& letter, double now_s)
{
  advance(now_s);
  std::uint64_t id = enqueue(letter.job, settings_.is_fifo ? letter.group : 0, letter.sent_s, now_s, now_s, letter.body);
  advance(now_s);  // it may be past this queue's retention already
  return id;
}

std::uint64_t QueueCore::enqueue(std::uint64_t job, std::uint64_t group, double sent_s, double visible_s, double now_s,
                                 const MessageBody& body)
{
  std::uint64_t id = next_id_++;
  Message& message = messages_[id];
  message.job = job;
  message.body = body;
  message.group = group;
  message.order = next_order_++;
  message.sent_s = sent_s;
  by_age_.insert({sent_s, id});
  if (visible_s > now_s) {
    message.state = State::delayed;
    message.due_s = visible_s;
    due_.insert({visible_s, id});
    ++delayed_count_;
  } else {
    message.state = State::visible;
    ++visible_count_;
    change_group(group, [&](Group& g) { g.visible.insert({message.order, id}); });
  }
  return id;
}

bool QueueCore::has_receivable() const
{
  if (room() == 0)
    return false;
  return settings_.is_fifo ? !ready_.empty() : visible_count_ > 0;
}

ReceiveResult QueueCore::receive(int max_messages, std::optional<double> visibility_timeout_s, bool is_short_poll, double now_s, Rng& rng)
{
  advance(now_s);
  ReceiveResult result;
  double visibility_s = visibility_timeout_s.value_or(settings_.visibility_timeout_s);
  if (room() == 0) {
    result.is_over_limit = true;
    return result;
  }
  if (!settings_.is_fifo) {
    // Short polls sample some servers only: with few messages stored, some are missed (AWS).
    bool may_miss = is_short_poll && messages_.size() < sqs_short_poll_full_sample && settings_.short_poll_miss_probability > 0;
    change_group(0, [&](Group& group) {
      for (auto it = group.visible.begin(); it != group.visible.end() && result.messages.size() < static_cast<std::size_t>(max_messages) && room() > 0;) {
        if (may_miss && rng.uniform01() < settings_.short_poll_miss_probability) {
          ++it;
          continue;
        }
        auto id = it->second;
        it = group.visible.erase(it);
        take(group, id, visibility_s, now_s, result);
      }
    });
    return result;
  }
  // FIFO: the group with the oldest head first, as many of its messages as asked; other groups only
  // to fill the rest. A group a batch came from is blocked until the whole batch is settled.
  while (result.messages.size() < static_cast<std::size_t>(max_messages) && room() > 0 && !ready_.empty()) {
    std::uint64_t key = ready_.begin()->second;
    change_group(key, [&](Group& group) {
      while (!group.visible.empty() && result.messages.size() < static_cast<std::size_t>(max_messages) && room() > 0) {
        auto id = group.visible.begin()->second;
        group.visible.erase(group.visible.begin());
        take(group, id, visibility_s, now_s, result);
      }
    });
  }
  return result;
}

// Takes one visible message (already out of its group's line): the redrive rule first (AWS moves a
// message during a later receive, once its receive count has reached maxReceiveCount), else hands it
// out, in flight until now + visibility_s.
void QueueCore::take(Group& group, std::uint64_t id, double visibility_s, double now_s, ReceiveResult& result)
{
  Message& message = messages_.at(id);
  --visible_count_;
  if (settings_.max_receive_count > 0 && message.receive_count >= static_cast<std::uint32_t>(settings_.max_receive_count)) {
    result.dead_letters.push_back({id, message.job, message.group, message.sent_s, message.receive_count, message.body});
    by_age_.erase({message.sent_s, id});
    messages_.erase(id);
    return;
  }
  result.redelivered += message.receive_count > 0 ? 1 : 0;
  ++message.receive_count;
  message.state = State::in_flight;
  message.received_s = now_s;
  message.due_s = now_s + visibility_s;
  due_.insert({message.due_s, id});
  ++in_flight_count_;
  ++group.in_flight;
  result.messages.push_back({sqs_receipt(id, message.receive_count), message.job, message.receive_count, message.sent_s, message.body});
  result.invisible_until_s.push_back(message.due_s);
}

DeleteResult QueueCore::delete_message(std::uint64_t receipt, double now_s)
{
  advance(now_s);
  auto found = messages_.find(sqs_receipt_message(receipt));
  if (found == messages_.end())
    return DeleteResult::gone;
  // Received again since: FIFO refuses the old handle; a standard queue deletes anyway (AWS only says
  // such a request "succeeds", the message "might not be deleted"; we take the simple reading).
  if (sqs_receipt_count(receipt) != (found->second.receive_count & 0xFFFFFFu) && settings_.is_fifo)
    return DeleteResult::stale;
  remove(found->first);
  return DeleteResult::deleted;
}

bool QueueCore::change_visibility(std::uint64_t receipt, double timeout_s, double now_s)
{
  advance(now_s);
  auto found = messages_.find(sqs_receipt_message(receipt));
  if (found == messages_.end())
    return false;
  Message& message = found->second;
  if (message.state != State::in_flight || sqs_receipt_count(receipt) != (message.receive_count & 0xFFFFFFu))
    return false;  // not in flight (AWS: MessageNotInflight), or a stale handle
  if (now_s + timeout_s - message.received_s > sqs_max_visibility_s)
    return false;  // AWS rejects going past 12 h since the receive
  due_.erase({message.due_s, found->first});
  message.due_s = now_s + timeout_s;  // counts from now, not from the receive (AWS)
  due_.insert({message.due_s, found->first});
  return true;
}

void QueueCore::remove(std::uint64_t id)
{
  Message& message = messages_.at(id);
  by_age_.erase({message.sent_s, id});
  switch (message.state) {
  case State::delayed:
    due_.erase({message.due_s, id});
    --delayed_count_;
    break;
  case State::visible:
    --visible_count_;
    change_group(message.group, [&](Group& group) { group.visible.erase({message.order, id}); });
    break;
  case State::in_flight:
    due_.erase({message.due_s, id});
    --in_flight_count_;
    change_group(message.group, [&](Group& group) { --group.in_flight; });
    break;
  }
  messages_.erase(id);
}

void QueueCore::advance(double now_s)
{
  while (!due_.empty() && due_.begin()->first <= now_s) {
    auto [due_s, id] = *due_.begin();
    due_.erase(due_.begin());
    Message& message = messages_.at(id);
    bool was_in_flight = message.state == State::in_flight;
    if (was_in_flight) {
      --in_flight_count_;
      if (!settings_.is_fifo && message.receive_count >= sqs_requeue_to_back_at)
        message.order = next_order_++;
    } else {
      --delayed_count_;
    }
    // Otherwise a message keeps its place: a FIFO message goes back to the head of its group.
    message.state = State::visible;
    ++visible_count_;
    change_group(message.group, [&, id = id](Group& group) {  // clang 14 (the fuzz build) cannot capture a binding
      group.in_flight -= was_in_flight ? 1 : 0;
      group.visible.insert({message.order, id});
    });
    events_.push_back({was_in_flight ? QueueEvent::Kind::visible_again : QueueEvent::Kind::delay_over, due_s, id, message.job,
                       message.receive_count, message.received_s});
  }
  while (!by_age_.empty() && by_age_.begin()->first + settings_.retention_s <= now_s) {
    auto [sent_s, id] = *by_age_.begin();
    const Message& message = messages_.at(id);
    events_.push_back({QueueEvent::Kind::expired, sent_s + settings_.retention_s, id, message.job, message.receive_count, sent_s});
    remove(id);
  }
}

double QueueCore::next_due_s() const
{
  double due_s = due_.empty() ? never_s : due_.begin()->first;
  if (!by_age_.empty())
    due_s = std::min(due_s, by_age_.begin()->first + settings_.retention_s);
  return due_s;
}

}  // namespace archlab
