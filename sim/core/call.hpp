// How requests move. A Request is one end-to-end request from a client, a plain object (never an
// actor). A Call is one hop of it: handed to an Endpoint, which answers the Caller exactly once.
#pragma once

#include <cstdint>
#include <string>

namespace simgrid::kernel::timer {
class Timer;
}

namespace archlab {

enum class Outcome : std::uint8_t {
  ok,
  rejected,   // refused at the door: full waiting line, throttled (HTTP 503/429)
  failed,     // broken on the way: dead instance, failed dependency (HTTP 5xx)
  timed_out,  // nobody answered in time (HTTP 504)
};
const char* outcome_name(Outcome outcome);

struct Request {
  std::uint64_t id = 0;
  double sent_s = 0;
  std::uint16_t kind = 0;        // index of the request kind (see World::kind_id)
  bool is_measured = false;      // sent after the warm-up
  bool is_abandoned = false;     // the client gave up waiting; the answer is ignored
  simgrid::kernel::timer::Timer* timeout = nullptr;
};

class Caller;

struct Call {
  Request* request = nullptr;
  Caller* caller = nullptr;
  std::uint64_t tag = 0;  // the caller's own bookkeeping, handed back with the answer
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
