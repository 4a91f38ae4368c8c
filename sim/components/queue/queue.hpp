// Queue: an Amazon SQS queue, standard or FIFO. The rules live in QueueCore (queue_core.hpp); this
// class moves calls in and answers out, after the API latency, and keeps the figures. Services call
// it through accept() (send, receive); consumers through the MessageQueue interface.
//
// Time: one timer stands for the core's next due moment (a delay ending, a visibility timeout running
// out, retention), and one per waiting long poll for the end of its wait.
//
// Figures: stats_.waiting is the number of visible messages (the time series' queue_length),
// stats_.busy the number in flight. The counts in add_summary are lifetime counts, like the bill;
// `sent` counts messages enqueued (a dropped duplicate is in `duplicates_dropped` only).
#pragma once

#include "sim/metrics/histogram.hpp"

#include "sim/components/queue/message_queue.hpp"
#include "sim/components/queue/queue_core.hpp"
#include "sim/core/component.hpp"
#include "sim/core/distribution.hpp"
#include "sim/core/random.hpp"
#include "sim/core/registry.hpp"
#include "sim/metrics/histogram.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <functional>
#include <map>

namespace archlab {

// The arguments of `receive` at one call site: ReceiveMessage's MaxNumberOfMessages, WaitTimeSeconds
// and VisibilityTimeout.
struct ReceiveArguments final : CallArguments {
  ReceiveRequest request;
};

class Queue final : public Component, public MessageQueue {
public:
  explicit Queue(const ComponentSetup& setup);
  static ComponentType type_description();

  void accept(const Call& call) override;
  void connect(World& world) override;
  void apply_fault(const FaultEvent& fault, World& world) override;
  void add_summary(nlohmann::json& summary, double end_s) const override;
  std::optional<double> signal(std::string_view name) const override;
  void add_billing(std::vector<BillingLine>& billing, double end_s) const override;

  void receive(const ReceiveRequest& request, std::function<void(std::vector<ReceivedMessage>)> on_messages) override;
  void delete_message(std::uint64_t receipt, std::function<void(bool deleted)> on_done) override;
  void change_visibility(std::uint64_t receipt, double timeout_s) override;
  double visible_messages() const override { return static_cast<double>(core_.visible()); }
  double in_flight_messages() const override { return static_cast<double>(core_.in_flight()); }
  double visibility_timeout_s() const override { return core_.settings().visibility_timeout_s; }

  bool is_fifo() const { return core_.settings().is_fifo; }
  // Redrive from a source queue: no API call, the message keeps its enqueue time.
  void take_dead_letter(const DeadLetter& letter, const std::string& from);

private:
  // messages, and whether the call failed (a standard short poll at the in-flight limit: OverLimit)
  using ReceiveAnswer = std::function<void(std::vector<ReceivedMessage>, bool is_over_limit)>;
  struct Waiter {
    ReceiveRequest request;
    ReceiveAnswer answer;
    double arrived_s = 0;
    EventId wait_end;
  };
  enum LogKind { sent, duplicate, received, visible_again, dead_lettered, expired, long_poll, over_limit, log_kinds };

  void start_receive(const ReceiveRequest& request, ReceiveAnswer answer);
  void send(const Call& call);
  ReceiveResult take(const ReceiveRequest& request, bool is_short_poll, double now_s);
  void answer_receive(ReceiveAnswer answer, ReceiveResult result, double arrived_s);
  void settle(double now_s);  // applies what fell due, serves waiting long polls, resets the timer
  void serve_waiters(double now_s);
  void end_wait(std::uint64_t waiter_id);
  void on_due(double due_s);
  void reschedule();
  void update_levels(double now_s);
  double api_latency_s() { return std::max(0.0, api_latency_s_.sample(latency_rng_)); }
  bool logs(LogKind kind, double at_s);  // false past the first lines of a kind

  World& world_;
  QueueCore core_;
  double receive_wait_time_s_;
  Distribution api_latency_s_;
  std::string dead_letter_id_;
  Queue* dead_letter_queue_ = nullptr;
  Rng latency_rng_;
  Rng short_poll_rng_;
  std::map<std::uint64_t, Waiter> waiters_;  // by arrival: the oldest long poll is served first
  std::uint64_t next_waiter_ = 1;
  EventId due_timer_;
  double due_timer_s_ = 0;
  std::array<int, log_kinds> logged_{};
  bool has_logged_bad_operation_ = false;
  bool has_logged_oversized_ = false;
  std::uint32_t max_message_size_bytes_ = 1048576;
  std::uint64_t oversized_ = 0;       // sends refused for their size
  std::uint64_t billed_chunks_ = 0;   // 64 KiB chunks beyond each request's first, billed as requests
  bool is_serving_ = false;

  std::uint64_t requests_ = 0;
  std::uint64_t sent_ = 0;
  std::uint64_t duplicates_dropped_ = 0;
  std::uint64_t received_ = 0;
  Histogram first_receive_wait_s_{64};  // send to first receive, per message: the wait a FIFO group's order adds to
  std::uint64_t empty_receives_ = 0;
  std::uint64_t deleted_ = 0;
  std::uint64_t redelivered_ = 0;
  std::uint64_t dead_lettered_ = 0;
  std::uint64_t dead_letters_in_ = 0;
  std::uint64_t expired_ = 0;
  double depth_max_ = 0;
  double depth_max_since_s_ = 0;
};

}  // namespace archlab
