// Consumers: worker processes on EC2 instances that poll a queue, like the seed's worker loop —
// ReceiveMessage (wait, batch), then each message through its steps (calls, code, DeleteMessage),
// then a pause, and again. The loop is data: the steps, what happens on error, the pause. The
// instances' life is an instance pool's (sim/instances/), with an optional Auto Scaling group.
#pragma once

#include "sim/components/consumers/message_steps.hpp"
#include "sim/components/queue/message_queue.hpp"
#include "sim/core/component.hpp"
#include "sim/core/distribution.hpp"
#include "sim/core/random.hpp"
#include "sim/core/registry.hpp"
#include "sim/instances/instance_pool.hpp"
#include "sim/platform/compute.hpp"
#include "sim/scaling/fleet.hpp"

#include <deque>
#include <map>
#include <optional>

namespace archlab {

class Consumers final : public Component, public Caller, private InstanceOwner {
public:
  explicit Consumers(const ComponentSetup& setup);
  ~Consumers() override;
  static ComponentType type_description();

  void accept(const Call& call) override;  // nothing calls a worker: answers "failed"
  void connect(World& world) override;
  void start(World& world) override;
  void on_answer(const Call& call, const Answer& answer) override;
  void apply_fault(const FaultEvent& fault, World& world) override;
  void add_summary(nlohmann::json& summary, double end_s) const override;
  void add_billing(std::vector<BillingLine>& lines, double end_s) const override;

private:
  struct Step {
    std::string name;
    std::optional<Distribution> cpu_s;  // reference-vCPU seconds on the instance's host, before work_s
    std::optional<Distribution> work_s;
    CallSite* site = nullptr;  // the step's call, under its policy (none: no target)
    std::string target_id;
    double time_limit_s = 0;  // infinity: none
  };
  struct Worker {
    std::size_t instance = 0;
    std::uint32_t generation = 0;  // bumped when the process dies: answers to the old one are ignored
    Request request;               // what its calls carry: the job
    JobState job_seen = JobState::unknown;  // the job's state as the last read (or conditional write) of its item saw it
    std::vector<ReceivedMessage> batch;
    std::size_t next_message = 0;
    std::size_t step = 0;
    double message_started_s = 0;
    bool is_busy = false;
    bool is_running = true;  // its process runs (false: stopped, crashed and not yet restarted)
  };
  struct Instance {
    PooledInstance* pooled = nullptr;  // its life, zone, busy time and messages taken
    std::vector<std::size_t> workers;
    int running_workers = 0;
  };

  // consumers_instances.cpp: what the instance pool tells of its instances coming and going
  void instance_changed(PooledInstance& pooled, InstanceChange change, World& world) override;
  void add_instance(PooledInstance& pooled);
  void retire(Instance& instance);
  void finish_retirement_once_stopped(Instance& instance);
  void stop_workers(Instance& instance);
  void restart_worker(std::size_t worker);
  void restart_workers(Instance& instance);

  void poll(std::size_t worker);
  void on_batch(std::size_t worker, std::vector<ReceivedMessage> batch);
  void next_message(std::size_t worker);
  void run_step(std::size_t worker);
  void spend_step(std::size_t worker, std::uint32_t generation, double work_s, bool fails);
  void call_or_finish_step(std::size_t worker);
  void finish_step(std::size_t worker, bool ok, bool is_condition_failed = false);
  void handle_error(std::size_t worker);
  void message_done(std::size_t worker, bool ok);
  void pause_then_poll(std::size_t worker);
  void stop_worker(std::size_t worker);  // its process died: held messages stay in flight
  void crash(std::size_t worker);
  bool may_work(std::size_t worker, std::uint32_t generation) const;
  void set_busy(Worker& worker, bool is_busy);
  std::uint64_t tag(std::size_t worker) const;

  World& world_;
  std::string queue_id_;
  MessageQueue* queue_ = nullptr;
  int workers_per_instance_;
  ReceiveRequest receive_;
  Distribution pause_s_;
  std::vector<Step> steps_;
  nlohmann::json step_specs_;  // validated: each step's call site is made from its own
  std::vector<StepTraits> traits_;
  OnError on_error_;
  double restart_after_crash_s_;
  std::deque<Worker> workers_;      // stable addresses: in-flight calls point at worker.request
  std::deque<Instance> instances_;
  std::map<std::string, int> armed_crashes_;  // step name → crashes still to happen
  Rng work_rng_;
  Rng pause_rng_;
  Rng cpu_rng_;  // a stream of its own: adding cpu_ms leaves the work drawn as it was
  InstanceHosts hosts_;
  std::string instance_type_;  // the hosts' vCPUs (models/platform/)
  std::uint64_t polls_ = 0, empty_polls_ = 0, errors_ = 0, crashes_ = 0, executions_ = 0;
  InstancePool pool_;  // last: it calls back into the members above
};

}  // namespace archlab
