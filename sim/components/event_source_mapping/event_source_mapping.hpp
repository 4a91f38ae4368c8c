// EventSourceMapping: Lambda's SQS event source. Pollers long-poll the queue, gather a batch (batch
// size, batching window) and invoke the function synchronously with it, one batch in flight per
// poller; then delete what succeeded. Their number ramps (poller_ramp.hpp) independently of the
// function's concurrency, which is how a burst past reserved concurrency gets throttled: a batch
// whose invoke is throttled is left in flight, returns after the visibility timeout with a higher
// receive count, and can reach the dead-letter queue unprocessed. maximum_concurrency caps the
// pollers and so the invokes. A type of its own rather than a section of the function because it
// polls (a queue's consumer) where the function only answers calls, and AWS configures it apart
// (CreateEventSourceMapping), one function possibly having several.
#pragma once

#include "sim/components/event_source_mapping/batch_rules.hpp"
#include "sim/components/event_source_mapping/poller_ramp.hpp"
#include "sim/components/queue/message_queue.hpp"
#include "sim/core/component.hpp"
#include "sim/core/registry.hpp"

#include <deque>
#include <vector>

namespace archlab {

class EventSourceMapping final : public Component, public Caller {
public:
  explicit EventSourceMapping(const ComponentSetup& setup);
  static ComponentType type_description();

  void accept(const Call& call) override;  // nothing calls it: answers "failed"
  void connect(World& world) override;
  void start(World& world) override;
  void on_answer(const Call& call, const Answer& answer) override;
  std::optional<double> signal(std::string_view name) const override;
  void add_summary(nlohmann::json& summary, double end_s) const override;

private:
  struct Poller {
    Request request;  // what the invoke carries: the batch's first item, the batch's size
    std::vector<ReceivedMessage> batch;
    GatheredBatch gathered;
    bool is_running = false;  // its loop goes on (false: retired by the ramp, or not started)
  };

  void set_pollers(int count);
  void poll(std::size_t poller);
  void on_messages(std::size_t poller, std::vector<ReceivedMessage> messages);
  void invoke(std::size_t poller);
  void settle(std::size_t poller, const Answer& answer);
  void next_minute();

  World& world_;
  std::string queue_id_;
  std::string function_id_;
  MessageQueue* queue_ = nullptr;
  Endpoint* function_ = nullptr;
  bool is_fifo_ = false;
  BatchSettings batch_settings_;
  bool reports_item_failures_;
  PollerLimits limits_;
  double poll_wait_s_;
  double throttle_backoff_s_;
  std::deque<Poller> pollers_;  // stable addresses: an invoke points at its poller's request
  int target_pollers_ = 0;
  bool saw_backlog_ = false;  // this minute, messages remained visible after a receive

  std::uint64_t receives_ = 0, empty_receives_ = 0;
  std::uint64_t batches_ = 0, messages_invoked_ = 0;
  std::uint64_t throttled_batches_ = 0, messages_throttled_ = 0;
  std::uint64_t failed_batches_ = 0, messages_returned_ = 0, messages_deleted_ = 0;
  std::uint64_t batch_size_total_ = 0;
  int max_pollers_ = 0;
  int in_flight_ = 0, max_in_flight_ = 0;
};

}  // namespace archlab
