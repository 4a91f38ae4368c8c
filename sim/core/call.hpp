// How requests move. A Request is one end-to-end request from a client, a plain object (never an
// actor). A Call is one hop of it: handed to an Endpoint, which answers the Caller exactly once.
#pragma once

#include "sim/core/scheduler.hpp"
#include "sim/resilience/outcome.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace archlab {

// What a call asks of its target. Plain services only know `request`; a queue takes send, receive
// and delete_message (SQS), a table get, put, update, query and scan (DynamoDB).
enum class Operation : std::uint8_t { request, send, receive, delete_message, get, put, update, query, scan };
const char* operation_name(Operation operation);
std::optional<Operation> operation_from_name(const std::string& name);
std::vector<std::string> operation_names();

// What a job looks like to whoever reads its item: nothing found, still pending, or finished.
enum class JobState : std::uint8_t { unknown, pending, done, failed };

// Per-step arguments of a call, read once from the model (e.g. ReceiveMessage's MaxNumberOfMessages).
struct CallOptions {
  Operation operation = Operation::request;
  int max_messages = 1;                       // receive: up to 10
  double wait_time_s = 0;                     // receive: long polling when above 0
  std::optional<double> visibility_timeout_s; // receive: absent = the queue's default
  bool is_conditional = false;                // put/update: only if the job has no result yet
};

struct Request {
  std::uint64_t id = 0;
  double sent_s = 0;
  std::uint16_t kind = 0;        // index of the request kind (see World::kind_id)
  bool is_measured = false;      // sent after the warm-up
  bool is_abandoned = false;     // the client gave up waiting; the answer is ignored
  EventId timeout;
  std::uint64_t job = 0;                 // the job this request submits or asks about (0: none)
  JobState job_seen = JobState::unknown; // set by the table (or queue) that answered about the job
};

// A copy of `owner` went to a callee (an attempt, a gateway's integration) and came back answered:
// what the callee learnt (a job id, the job's state) goes back to `owner`; what the owner keeps for
// itself (its own timeout, whether it gave up) stays as it was.
void take_back_answer(Request& owner, const Request& answered_copy);

class Caller;

struct Call {
  Request* request = nullptr;
  Caller* caller = nullptr;
  std::uint64_t tag = 0;  // the caller's own bookkeeping, handed back with the answer
  const CallOptions* options = nullptr;  // null: a plain request
  Operation operation() const { return options ? options->operation : Operation::request; }
};

class Caller {
public:
  virtual ~Caller() = default;
  virtual void on_answer(const Call& call, Outcome outcome) = 0;
};

// Anything a request can be sent to: a component, or one instance of a service.
class Endpoint {
public:
  virtual ~Endpoint() = default;
  virtual void accept(const Call& call) = 0;
  virtual bool answers_health_check() const { return true; }
  virtual std::string endpoint_name() const = 0;
};

}  // namespace archlab
