// How requests move. A Request is one end-to-end request from a client, a plain object (never an
// actor). A Call is one hop of it: handed to an Endpoint, which answers the Caller exactly once.
#pragma once

#include "sim/core/operation.hpp"
#include "sim/core/scheduler.hpp"
#include "sim/resilience/outcome.hpp"

#include <cstdint>
#include <string>

namespace archlab {

// What an answer says beyond its outcome: what the callee found, or why it refused. A vocabulary
// shared by the types that answer with it (DynamoDB's item or none and its conditional check, a
// cache's hit or miss, a throttle); `none` when the answer has nothing to add.
enum class Status : std::uint8_t { none, found, not_found, hit, miss, throttled, condition_failed, unauthorized };
const char* status_name(Status status);

// The one answer a Caller gets for a Call.
struct Answer {
  Outcome outcome = Outcome::ok;
  Status status = Status::none;
  std::uint8_t item_state = 0;   // the state kept in the item read, in its owner's terms (the job ledger's JobState); 0: none
  std::uint32_t size_bytes = 0;  // the response's payload
  float age_s = 0;               // how old the copy answered is (a cache's or a CDN's); 0: read fresh from its source

  Answer() = default;
  Answer(Outcome outcome_) : outcome(outcome_) {}  // an answer with nothing to add but its outcome
  Answer(Outcome outcome_, Status status_, std::uint8_t item_state_ = 0) : outcome(outcome_), status(status_), item_state(item_state_) {}
};

// The arguments of one operation at one call site (SQS ReceiveMessage's MaxNumberOfMessages, a
// conditional write), read once from the model by the callee's type (OperationSpec::read_arguments)
// and handed to it with every call from that site. Each type defines its own.
struct CallArguments {
  virtual ~CallArguments() = default;
};

// A request held in a RequestPool (request_pool.hpp), named with the generation it had when taken,
// so a reference kept past the request's end finds nothing instead of a newer request.
struct RequestRef {
  std::uint32_t index = 0;
  std::uint32_t generation = 0;  // 0: no request
  bool is_null() const { return generation == 0; }
  bool operator==(const RequestRef&) const = default;
};

struct Request {
  std::uint64_t id = 0;
  double sent_s = 0;
  double deadline_s = Scheduler::never;  // when its sender stops waiting for it (never: no deadline)
  std::uint64_t key = 0;         // the item it is about, drawn from its client's key space (0: none)
  std::uint64_t job = 0;         // the job this request submits or asks about (0: none)
  std::uint32_t size_bytes = 0;  // its payload
  // Which of its sender's connections carries it (a Lambda environment's, kept while it lives), so
  // that a database can count open connections; 0: a connection opened for this call alone.
  std::uint64_t connection = 0;
  std::uint16_t kind = 0;        // index of the request kind (see World::kind_id)
  bool is_measured = false;      // sent after the warm-up
  bool is_abandoned = false;     // the client gave up waiting; the answer is ignored
  std::uint32_t user = 0;        // who sent it, 1..its client's users, for per-user limits (0: nobody in particular)
  EventId timeout;
  RequestRef parent;             // the request that forked it (a fan-out, an async invocation); null for a client's own
  RequestRef self;               // where it lives in the World's pool (null: its owner keeps it elsewhere)
};

class Caller;

struct Call {
  Request* request = nullptr;
  Caller* caller = nullptr;
  std::uint64_t tag = 0;  // the caller's own bookkeeping, handed back with the answer
  Operation operation;    // one its target's type declares
  const CallArguments* arguments = nullptr;  // the operation's arguments at this call site; null: its defaults

  // The callee reads its own type of arguments; null when the call site gave none.
  template <class Arguments>
  const Arguments* arguments_as() const { return static_cast<const Arguments*>(arguments); }
};

class Caller {
public:
  virtual ~Caller() = default;
  virtual void on_answer(const Call& call, const Answer& answer) = 0;
};

// The caller of a one-way call (an operation its type declares `is_one_way`: fan-out): the callee
// may answer as it would any call, and the answer goes nowhere. A one-way callee copies what it
// keeps of the request, which its sender may reuse at once.
Caller& nobody_listens();

// Anything a request can be sent to: a component, or one instance of a service.
class Endpoint {
public:
  virtual ~Endpoint() = default;
  virtual void accept(const Call& call) = 0;
  virtual bool answers_health_check() const { return true; }
  virtual std::string endpoint_name() const = 0;
  virtual std::string_view zone_name() const { return {}; }  // the availability zone it runs in, if it has one
};

}  // namespace archlab
