// Consumers: worker processes on EC2 instances that poll a queue, like the seed's worker loop —
// ReceiveMessage (wait, batch), then each message through its steps (calls, code, DeleteMessage),
// then a pause, and again. The loop is data: the steps, what happens on error, the pause. An
// optional Auto Scaling group (sim/scaling/) adds and retires instances.
#pragma once

#include "sim/components/consumers/message_steps.hpp"
#include "sim/components/queue/message_queue.hpp"
#include "sim/core/component.hpp"
#include "sim/core/distribution.hpp"
#include "sim/core/random.hpp"
#include "sim/core/registry.hpp"
#include "sim/platform/compute.hpp"
#include "sim/scaling/fleet.hpp"

#include <deque>
#include <map>
#include <memory>
#include <optional>

namespace archlab {

class AutoScalingGroup;


class Consumers final : public Component, public Caller, public Fleet {
public:
  explicit Consumers(const ComponentSetup& setup);
  ~Consumers() override;
  static ComponentType type_description();

  void accept(const Call& call) override;  // nothing calls a worker: answers "failed"
  void connect(World& world) override;
  void start(World& world) override;
  void on_answer(const Call& call, Outcome outcome) override;
  void apply_fault(const FaultEvent& fault, World& world) override;
  void add_summary(nlohmann::json& summary, double end_s) const override;
  void add_billing(std::vector<BillingLine>& lines, double end_s) const override;

  // Fleet, for the Auto Scaling group
  void instance_ready(World& world) override;
  void retire_instance(World& world) override;
  std::size_t instances_in_service() const override;
  std::vector<InstanceReading> readings(double now_s) const override;

private:
  struct Step {
    std::string name;
    std::optional<Distribution> cpu_s;  // reference-vCPU seconds on the instance's host, before work_s
    std::optional<Distribution> work_s;
    CallSite* site = nullptr;  // the step's call, under its policy (none: no target)
    std::string target_id;
    CallOptions options;
    double time_limit_s = 0;  // infinity: none
  };
  struct Worker {
    std::size_t instance = 0;
    std::uint32_t generation = 0;  // bumped when the process dies: answers to the old one are ignored
    Request request;               // what its calls carry: the job, and the state a read saw
    std::vector<ReceivedMessage> batch;
    std::size_t next_message = 0;
    std::size_t step = 0;
    double message_started_s = 0;
    bool is_busy = false;
  };
  struct Instance {
    std::uint64_t id = 0;
    std::string zone;
    bool is_alive = true;
    bool is_retiring = false;
    bool is_hung = false;
    std::vector<std::size_t> workers;
    TimeWeighted busy;
    std::uint64_t messages = 0;
  };

  void add_instance(World& world);
  void poll(std::size_t worker);
  void on_batch(std::size_t worker, std::vector<ReceivedMessage> batch);
  void next_message(std::size_t worker);
  void run_step(std::size_t worker);
  void spend_step(std::size_t worker, std::uint32_t generation, double work_s, bool fails);
  void call_or_finish_step(std::size_t worker);
  void finish_step(std::size_t worker, bool ok);
  void handle_error(std::size_t worker);
  void message_done(std::size_t worker, bool ok);
  void pause_then_poll(std::size_t worker);
  void stop_worker(std::size_t worker);  // its process died: held messages stay in flight
  void crash(std::size_t worker);
  void kill(Instance& instance, World& world);
  void recover(Instance& instance);
  bool may_work(std::size_t worker, std::uint32_t generation) const;
  void set_busy(Worker& worker, bool is_busy);
  std::uint64_t tag(std::size_t worker) const;

  World& world_;
  const nlohmann::json& params_;
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
  std::string instance_type_;
  std::vector<std::string> zones_;
  std::deque<Worker> workers_;      // stable addresses: in-flight calls point at worker.request
  std::deque<Instance> instances_;
  std::map<std::string, int> armed_crashes_;  // step name → crashes still to happen
  std::unique_ptr<AutoScalingGroup> scaling_;
  TimeWeighted in_service_;         // instances taking work
  double in_service_min_ = 0;
  double in_service_max_ = 0;
  Rng work_rng_;
  Rng pause_rng_;
  Rng cpu_rng_;  // a stream of its own: adding cpu_ms leaves the work drawn as it was
  InstanceHosts hosts_;
  std::uint64_t polls_ = 0, empty_polls_ = 0, errors_ = 0, crashes_ = 0, executions_ = 0;
};

}  // namespace archlab
