// The state of one SQS queue, free of the engine: every operation takes the time (now_s) and says
// what happened; the component (queue.hpp) turns that into timers, answers and log lines. The rules
// follow docs/aws-facts.md §1.
//
// Before doing anything at now_s, an operation first applies what fell due until then (delays that
// ended, visibility timeouts that ran out, retention), so the order of events at one instant does not
// depend on which timer the engine happened to run first. What that brought about waits in
// take_events().
#pragma once

#include "sim/components/queue/message_queue.hpp"
#include "sim/core/random.hpp"

#include <cstdint>
#include <deque>
#include <limits>
#include <optional>
#include <set>
#include <unordered_map>
#include <utility>
#include <vector>

namespace archlab {

inline constexpr double sqs_dedup_window_s = 300;             // AWS: 5 minutes
inline constexpr double sqs_max_visibility_s = 43200;         // AWS: 12 h
inline constexpr std::size_t sqs_short_poll_full_sample = 1000;  // AWS: below this many stored, short polls can miss some
inline constexpr std::uint32_t sqs_requeue_to_back_at = 3;    // AWS: standard, received 3+ times → back of the queue

struct QueueSettings {
  bool is_fifo = false;
  double visibility_timeout_s = 30;  // AWS default
  double retention_s = 345600;       // AWS default, 4 days
  double delay_s = 0;
  int max_receive_count = 0;         // 0: no redrive policy
  bool is_group_per_job = false;     // FIFO MessageGroupId: the job id, or one group for all
  bool is_group_per_key = false;     // FIFO MessageGroupId: the request's key (a user, an order), 0 a group of its own
  bool is_dedup_per_job = true;      // FIFO MessageDeduplicationId: the job id
  std::size_t in_flight_limit = 120000;      // AWS, standard and FIFO
  double short_poll_miss_probability = 0.1;  // assumption: AWS gives no number
};

// A message on its way to the dead-letter queue: it keeps its enqueue time (AWS: the retention clock
// does not restart) and its group.
struct DeadLetter {
  std::uint64_t message = 0;  // id in the source queue
  std::uint64_t job = 0;
  std::uint64_t group = 0;
  double sent_s = 0;
  std::uint32_t receive_count = 0;
  MessageBody body;
};

struct SendResult {
  bool is_enqueued = false;  // false: a duplicate inside the deduplication window (accepted, dropped)
  std::uint64_t message = 0;
  double visible_s = 0;
};

struct ReceiveResult {
  std::vector<ReceivedMessage> messages;
  std::vector<double> invisible_until_s;  // one per message
  std::vector<DeadLetter> dead_letters;   // moved out during this receive
  std::uint32_t redelivered = 0;          // messages received before
  bool is_over_limit = false;             // the in-flight limit left no room
};

enum class DeleteResult { deleted, gone, stale };

struct QueueEvent {
  enum class Kind { visible_again, delay_over, expired };
  Kind kind = Kind::visible_again;
  double at_s = 0;
  std::uint64_t message = 0;
  std::uint64_t job = 0;
  std::uint32_t receive_count = 0;
  double since_s = 0;  // visible_again: when it was received; expired: when it was sent
};

// Receipt handles name one receive of one message: a later receive makes the earlier handle stale.
inline std::uint64_t sqs_receipt(std::uint64_t message, std::uint32_t receive_count) { return (message << 24) | (receive_count & 0xFFFFFFu); }
inline std::uint64_t sqs_receipt_message(std::uint64_t receipt) { return receipt >> 24; }
inline std::uint32_t sqs_receipt_count(std::uint64_t receipt) { return static_cast<std::uint32_t>(receipt & 0xFFFFFFu); }

class QueueCore {
public:
  explicit QueueCore(QueueSettings settings) : settings_(settings) {}
  const QueueSettings& settings() const { return settings_; }

  SendResult send(std::uint64_t job, double now_s, const MessageBody& body = {});
  std::uint64_t take_dead_letter(const DeadLetter& letter, double now_s);  // enqueued at once, no delay
  // is_short_poll: only part of the servers is sampled (standard queues).
  ReceiveResult receive(int max_messages, std::optional<double> visibility_timeout_s, bool is_short_poll, double now_s, Rng& rng);
  DeleteResult delete_message(std::uint64_t receipt, double now_s);
  bool change_visibility(std::uint64_t receipt, double timeout_s, double now_s);  // false: ignored

  void advance(double now_s);
  double next_due_s() const;  // infinity when nothing will happen by itself
  std::vector<QueueEvent> take_events() { return std::exchange(events_, {}); }

  bool has_receivable() const;  // a long poll would get something now
  std::size_t visible() const { return visible_count_; }
  std::size_t in_flight() const { return in_flight_count_; }
  std::size_t delayed() const { return delayed_count_; }
  std::size_t stored() const { return messages_.size(); }

private:
  enum class State : std::uint8_t { delayed, visible, in_flight };
  struct Message {
    std::uint64_t job = 0;
    std::uint64_t group = 0;
    std::uint64_t order = 0;  // place in line: enqueue order, unless sent to the back
    double sent_s = 0;
    double received_s = 0;
    double due_s = 0;         // end of the delay or of the visibility timeout
    std::uint32_t receive_count = 0;
    State state = State::delayed;
    MessageBody body;
  };
  using Entry = std::pair<std::uint64_t, std::uint64_t>;  // (order, message) or (head order, group)
  struct Group {
    std::set<Entry> visible;
    std::uint32_t in_flight = 0;
  };

  std::uint64_t enqueue(std::uint64_t job, std::uint64_t group, double sent_s, double visible_s, double now_s, const MessageBody& body);
  template <class Change>
  void change_group(std::uint64_t key, Change&& change);
  bool is_ready(const Group& group) const { return settings_.is_fifo && group.in_flight == 0 && !group.visible.empty(); }
  void take(Group& group, std::uint64_t id, double visibility_s, double now_s, ReceiveResult& result);
  void remove(std::uint64_t id);
  bool is_duplicate(std::uint64_t job, double now_s);
  std::size_t room() const { return settings_.in_flight_limit > in_flight_count_ ? settings_.in_flight_limit - in_flight_count_ : 0; }

  QueueSettings settings_;
  std::unordered_map<std::uint64_t, Message> messages_;
  std::unordered_map<std::uint64_t, Group> groups_;  // a standard queue has one, group 0
  std::set<Entry> ready_;                            // FIFO: groups with no batch in flight, oldest head first
  std::set<std::pair<double, std::uint64_t>> due_;   // (due_s, message): delays and visibility timeouts
  std::set<std::pair<double, std::uint64_t>> by_age_;  // (sent_s, message), for retention
  std::unordered_map<std::uint64_t, double> dedup_seen_s_;
  std::deque<std::pair<double, std::uint64_t>> dedup_order_;
  std::vector<QueueEvent> events_;
  std::uint64_t next_id_ = 1;
  std::uint64_t next_order_ = 1;
  std::size_t visible_count_ = 0;
  std::size_t in_flight_count_ = 0;
  std::size_t delayed_count_ = 0;
};

}  // namespace archlab
