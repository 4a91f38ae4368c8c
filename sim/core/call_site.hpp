// One place a component calls another (a service's call, a consumer's step): the call goes out under
// the site's policy (sim/resilience/: per-attempt timeout, retries with backoff and a retry quota, a
// circuit breaker, a bulkhead, a fallback) and the owner is answered once, with the final outcome.
// Every attempt is counted, by outcome, with its latency, for `components.<caller>.calls.<callee>`.
//
// Answers never re-enter the owner from inside a retry: a retry is always a scheduled event (after
// its backoff, which may be 0), so a dead target that refuses at once cannot recurse.
#pragma once

#include "sim/core/call.hpp"
#include "sim/core/random.hpp"
#include "sim/core/scheduler.hpp"
#include "sim/metrics/histogram.hpp"
#include "sim/core/call_policy.hpp"

#include <deque>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace archlab {

// What one caller saw of one callee (since the warm-up ended).
struct CallCounters {
  std::uint64_t calls = 0;            // calls the owner made (each may take several attempts)
  std::uint64_t attempts = 0;
  std::uint64_t retries = 0;
  std::uint64_t ok = 0;               // attempts, by outcome
  std::uint64_t failed = 0;
  std::uint64_t timed_out = 0;
  std::uint64_t rejected = 0;
  std::uint64_t short_circuited = 0;  // calls the open breaker refused
  std::uint64_t bulkhead_rejected = 0;
  std::uint64_t fallbacks = 0;
  std::uint64_t delivered = 0;        // one-way calls handed over (never answered)
  Histogram latency_ok{64};
  Histogram latency_failed{64};
  Histogram latency_timed_out{64};
  Histogram latency_rejected{64};

  Histogram& latency_of(Outcome outcome);
  void merge(const CallCounters& other);
  nlohmann::json to_json() const;
};

// What a site asks of its target: an operation of the target's type and its arguments at this site.
struct OperationCall {
  Operation operation;
  std::shared_ptr<const CallArguments> arguments;
  bool is_one_way = false;  // delivered, never answered: no timeout, retry or breaker applies
};

class Component;
// The operation a call site names and its arguments, read by the target's type (validation made
// sure the type takes it with those arguments); arguments the site leaves out take their defaults.
OperationCall operation_call(const Component& target, const nlohmann::json& call);

class CallSite final : public Caller {
public:
  CallSite(Scheduler& scheduler, std::string callee_id, Endpoint& target, CallPolicy policy, Rng backoff_rng,
           RetryQuota* quota, Endpoint* fallback_target, OperationCall operation = {}, OperationCall fallback_operation = {});
  CallSite(const CallSite&) = delete;
  CallSite& operator=(const CallSite&) = delete;

  // Sends `call` (its request, caller and tag are the owner's; its operation is the site's) and the
  // owner's on_answer gets it back once, with the last attempt's answer (or the fallback's). A
  // one-way site delivers it and the owner hears nothing: it goes on at once.
  void send(const Call& call);
  bool is_one_way() const { return operation_.is_one_way; }
  void on_answer(const Call& attempt, const Answer& answer) override;
  Operation operation() const { return operation_.operation; }

  // While the owner's on_answer runs: whether the call ended because its last attempt reached this
  // site's timeout_ms (the caller gave up waiting), rather than with an answer, a timed_out one included.
  bool has_given_up_waiting() const { return has_given_up_waiting_; }
  // An owner that shows none of this site's figures (a client whose every request is one attempt)
  // spares every attempt the latency histogram; the counts are kept all the same.
  void keep_latency(bool keeps) { keeps_latency_ = keeps; }

  const std::string& callee_id() const { return callee_id_; }
  const CallCounters& counters() const { return counters_; }
  std::uint64_t late_answers() const { return late_answers_; }  // to attempts already timed out, ignored; from time 0
  std::uint64_t short_circuited_since_start() const { return short_circuited_since_start_; }  // from time 0, for signals
  const CallPolicy& policy() const { return policy_; }
  void restart_counters() { counters_ = CallCounters{}; }

private:
  // A call in flight. Its attempts carry their own copy of the request, so an attempt answered after
  // its timeout writes into nothing the owner still uses; the slot is reused only once every attempt
  // sent from it has been answered. A deque, so that the copies never move.
  struct Pending {
    Call owner_call;
    Request attempt_request;
    int attempts_in_flight = 0;
    std::uint32_t attempt_serial = 0;  // the attempt in flight: an answer naming another one is late, and ignored
    EventId timeout;
    RetryState retry;
    BreakerPermit permit;
    double attempt_started_s = 0;
    bool is_in_bulkhead = false;
    bool is_fallback = false;
    bool has_given_up_waiting = false;  // the last attempt ended at the site's own timeout
    bool is_in_use = false;
  };

  std::uint32_t new_pending(const Call& call);  // a slot for the call, reset
  void start_attempt(std::uint32_t slot);
  void attempt_ended(std::uint32_t slot, const Answer& answer);
  void give_final(std::uint32_t slot, const Answer& answer);
  void answer_owner(std::uint32_t slot, const Answer& answer);
  void release_slot_if_done(std::uint32_t slot);
  void send_attempt(std::uint32_t slot, Endpoint& target, const OperationCall& operation);

  Scheduler& scheduler_;
  std::string callee_id_;
  Endpoint& target_;
  CallPolicy policy_;
  Rng backoff_rng_;
  RetryQuota* quota_;
  Endpoint* fallback_target_;
  OperationCall operation_;
  OperationCall fallback_operation_;
  std::optional<CircuitBreaker> breaker_;
  std::optional<Bulkhead> bulkhead_;
  std::deque<Pending> pending_;
  std::vector<std::uint32_t> free_slots_;
  std::uint32_t next_serial_ = 1;
  bool has_given_up_waiting_ = false;
  std::uint64_t late_answers_ = 0;
  std::uint64_t short_circuited_since_start_ = 0;
  bool keeps_latency_ = true;
  CallCounters counters_;
};

class World;

// The call sites of one component, and the retry quota its calls share (the AWS SDKs keep one per
// client). The summary shows them by callee: `components.<caller>.calls.<callee>`.
class CallSites {
public:
  // `call` is a validated call site (target, policy fields); `stream` names its backoff random stream.
  // A call without a retry of its own gets its callee's default for callers (a table: the AWS SDK's).
  CallSite& add(World& world, const nlohmann::json& call, const std::string& stream);
  bool empty() const { return sites_.empty(); }
  const std::vector<std::unique_ptr<CallSite>>& all() const { return sites_; }
  void restart_counters();
  std::uint64_t short_circuited_since_start() const;  // calls its sites' breakers refused, from time 0
  nlohmann::json summary() const;

private:
  std::vector<std::unique_ptr<CallSite>> sites_;
  std::vector<std::pair<RetryBudget, std::unique_ptr<RetryQuota>>> quotas_;
};

}  // namespace archlab
