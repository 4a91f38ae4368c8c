// What a consumer (sim/components/consumers/) sees of a queue: the SQS calls a worker loop makes.
// Every answer comes back later, inside a simulation event, after the API latency (and, for a long
// poll, up to its wait time).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

namespace archlab {

// What a message carries besides its job: the item it is about, its size and its kind (the request
// kind it was sent as: the attribute a subscriber or a worker tells messages apart by).
struct MessageBody {
  std::uint64_t key = 0;
  std::uint32_t size_bytes = 0;
  std::uint16_t kind = 0;
};

struct ReceivedMessage {
  std::uint64_t receipt = 0;        // this receive's receipt handle (a new one on every receive)
  std::uint64_t job = 0;            // the job the message carries (0: none)
  std::uint32_t receive_count = 0;  // ApproximateReceiveCount, this receive included
  double sent_s = 0;
  MessageBody body;
};

struct ReceiveRequest {
  int max_messages = 1;                         // MaxNumberOfMessages, 1..10
  double wait_time_s = 0;                       // WaitTimeSeconds: above 0 is a long poll (≤ 20)
  std::optional<double> visibility_timeout_s;   // absent: the queue's default
};

class MessageQueue {
public:
  virtual ~MessageQueue() = default;
  // ReceiveMessage: answers once with 0..max_messages messages.
  virtual void receive(const ReceiveRequest& request, std::function<void(std::vector<ReceivedMessage>)> on_messages) = 0;
  // DeleteMessage: answers whether the message was deleted (false: already gone, or a stale receipt
  // on a FIFO queue after the message was received again).
  virtual void delete_message(std::uint64_t receipt, std::function<void(bool deleted)> on_done) = 0;
  // ChangeMessageVisibility: the new timeout counts from now; ignored for a stale receipt.
  virtual void change_visibility(std::uint64_t receipt, double timeout_s) = 0;

  virtual double visible_messages() const = 0;      // ApproximateNumberOfMessagesVisible, right now
  virtual double in_flight_messages() const = 0;    // ApproximateNumberOfMessagesNotVisible
  virtual double visibility_timeout_s() const = 0;  // the queue's default
};

}  // namespace archlab
