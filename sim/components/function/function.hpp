// Function: an AWS Lambda function. Each invocation runs in an execution environment that handles
// one invocation at a time: a warm one if an idle one is left, else a new one that runs its init
// first (a cold start). Concurrency is capped by reserved concurrency or what the account leaves
// unreserved, and new environments by the scaling rate; a synchronous invoke beyond either is
// throttled (429). An asynchronous invoke (`invoke_async`, one-way) is queued inside Lambda and
// retried (function errors twice, throttles for up to 6 h), then sent to an on-failure queue.
//
// An invocation's run is `cpu_ms` on its environment's host (SimGrid's CPU model, at the memory's
// CPU share: environment_hosts.hpp), then `work_ms` (waiting, wall time), then its `calls` in order,
// as a service handler's. A run longer than `timeout_s` is stopped and its
// environment reset. The decisions are pure, beside this file: environment_pool (warm or cold, idle
// expiry, reset), invoke_admission (limits, scaling rate, CPU share, GB-s), async_retry.
#pragma once

#include "sim/components/function/async_retry.hpp"
#include "sim/components/function/environment_hosts.hpp"
#include "sim/components/function/environment_pool.hpp"
#include "sim/components/function/invoke_admission.hpp"
#include "sim/core/component.hpp"
#include "sim/core/distribution.hpp"
#include "sim/core/random.hpp"
#include "sim/core/registry.hpp"

#include <cstdint>
#include <deque>
#include <optional>
#include <vector>

namespace archlab {

class Function final : public Component, public Caller {
public:
  explicit Function(const ComponentSetup& setup);
  static ComponentType type_description();

  void accept(const Call& call) override;
  void connect(World& world) override;
  void start(World& world) override;
  void on_answer(const Call& call, const Answer& answer) override;
  std::optional<double> signal(std::string_view name) const override;
  void add_summary(nlohmann::json& summary, double end_s) const override;
  void add_billing(std::vector<BillingLine>& lines, double end_s) const override;
  void apply_fault(const FaultEvent& fault, World& world) override;

private:
  struct Step {
    double probability = 1;
    CallSite* site = nullptr;
  };
  static constexpr std::int64_t no_event = -1;
  static constexpr std::uint64_t on_failure_tag = 1ull << 63;  // an event sent to on_failure: its queue's answer
  // The invocation an environment runs (one at a time), kept by the environment's index.
  struct Run {
    Call call;                   // a synchronous caller's; an async event's own
    std::int64_t event = no_event;
    double arrived_s = 0;
    double init_s = 0;           // its cold start's init, 0 when warm
    double started_s = 0;        // the invoke phase began (after any init)
    std::uint32_t generation = 0;  // bumped when the run ends: late answers and timers find another
    std::uint16_t next_call = 0;
    EventId timeout;
    Answer learnt;
    Request outbound;              // what its calls carry: the invocation's request on this environment's connection
    std::uint64_t connection = 0;  // the environment's own, new with each cold start
  };
  // An asynchronous event held by Lambda's internal queue until it succeeds or is given up.
  struct Event {
    Request request;  // copied: the sender may reuse its own at once
    double queued_s = 0;
    int errors = 0;
    int throttles = 0;
    bool is_in_use = false;
  };

  // function_invoke.cpp: one invocation
  InvokeAdmission decide(double now_s);
  bool is_under_limit() const;
  void invoke(const Call& call, std::int64_t event);
  void start_run(std::uint32_t environment);
  void run_done(std::uint32_t environment, std::uint32_t generation);
  void continue_calls(std::uint32_t environment);
  void end_run(std::uint32_t environment, Outcome outcome);
  void time_out(std::uint32_t environment);
  void reset_run(std::uint32_t environment, const std::string& why);
  void hand_back(const Run& run, Outcome outcome, const Answer& learnt);
  void change_active(std::uint32_t environment, int delta);
  void reinitialize_provisioned();
  Run& run_of(std::uint32_t environment);

  // function_async.cpp: Lambda's internal event queue
  void queue_event(const Request& request);
  void try_event(std::int64_t event);
  void event_finished(std::int64_t event, Outcome outcome);
  void event_throttled(std::int64_t event);
  void follow(std::int64_t event, const AsyncDecision& decision);
  void give_up(std::int64_t event);
  void release_event(std::int64_t event);

  World& world_;
  const nlohmann::json& params_;
  double memory_mb_;
  double timeout_s_;
  Distribution work_s_;
  std::optional<Distribution> cpu_s_;  // none: no CPU work, and no SimGrid host
  Distribution init_s_;
  std::optional<int> reserved_;
  int provisioned_;
  AsyncRetrySettings async_settings_;
  std::string on_failure_id_;
  Endpoint* on_failure_ = nullptr;
  std::vector<Step> calls_;
  EnvironmentPool pool_;
  EnvironmentHosts hosts_;
  ScalingAllowance scaling_;
  ConcurrencyAccount* account_ = nullptr;
  std::deque<Run> runs_;  // deque: a run's outbound request is pointed at by its calls in flight
  std::deque<Event> events_;
  std::vector<std::int64_t> free_events_;
  int on_demand_active_ = 0;  // on-demand environments initializing or busy
  Rng work_rng_;
  Rng routing_rng_;
  Rng fault_rng_;
  bool is_work_per_job_;
  std::uint64_t job_work_salt_;
  double crash_probability_ = 0;  // a "fail" fault: share of runs that crash after their work
  double slow_factor_ = 1;        // a "slow" fault: work and CPU take this many times longer
  static constexpr int max_resets_logged = 100;
  int resets_logged_ = 0;

  // Counted over the whole run, as AWS's metrics would show them.
  std::uint64_t invocations_ = 0;  // runs started (each async try is one)
  std::uint64_t cold_starts_ = 0;
  std::uint64_t environments_made_ = 0;
  std::uint64_t connection_base_ = 0;  // this function's connections: a range of their own
  std::uint64_t throttled_ = 0;
  std::uint64_t timed_out_ = 0;
  std::uint64_t errors_ = 0;       // function errors: a call failed, or a timeout
  double max_concurrency_ = 0;
  double gb_s_ = 0;                // on-demand duration (init included) and provisioned duration, billed apart
  double provisioned_gb_s_ = 0;
  std::uint64_t events_received_ = 0;
  std::uint64_t events_succeeded_ = 0;
  std::uint64_t async_retries_ = 0;
  std::uint64_t events_to_destination_ = 0;
  std::uint64_t events_dropped_ = 0;
  std::uint64_t events_aged_out_ = 0;
};

}  // namespace archlab
