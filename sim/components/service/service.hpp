// Service: instances × concurrency workers behind waiting lines, like EC2 instances running a web
// server with a fixed worker pool. A worker handles one request at a time: its own work, then any
// synchronous calls to other components (the worker is held while it waits), then either answers or
// forwards the request to a next component (and is free at once).
//
// Called directly, a service has one waiting line shared by all its instances; a load balancer
// sends to one instance, and each instance has its own line. The instances' life is an instance
// pool's (sim/instances/): with a `scaling` object an Auto Scaling group launches and retires them
// at run time; load balancers hear of them as targets registering and deregistering.
#pragma once

#include "sim/components/load_balancer/target_group.hpp"
#include "sim/core/component.hpp"
#include "sim/core/distribution.hpp"
#include "sim/core/random.hpp"
#include "sim/core/registry.hpp"
#include "sim/instances/instance_pool.hpp"
#include "sim/platform/compute.hpp"
#include "sim/scaling/fleet.hpp"

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <vector>

namespace archlab {

// What a service runs on: EC2 instances of a type, or ECS tasks of a Fargate size.
struct ServiceRuntime {
  std::string type_name;   // the component type: "service", "container_service"
  InstanceKind kind;       // what one of them is called in the log
  std::string host_type;   // the machine its CPU work runs on (models/platform/)
  std::vector<std::pair<std::string, double>> billed_per_hour;  // bill lines: price item → quantity per instance-hour
  bool replaces_unhealthy = false;  // whatever its group's health_check_type: ECS replaces a task its load balancer fails
};

class Service final : public Component, public Caller, public TargetSource, private InstanceOwner {
public:
  explicit Service(const ComponentSetup& setup);  // on EC2 instances of its instance_type
  Service(const ComponentSetup& setup, ServiceRuntime runtime);
  ~Service() override;
  static ComponentType type_description();
  // The parameters and checks every kind of service shares, all but what it runs on.
  static std::vector<ParamSpec> shared_params();
  static SignalSpec instances_signal();  // the instance count, for both kinds of service
  static SignalSpec short_circuited_signal();  // calls its breakers refused, for both kinds
  static void check_shared(const nlohmann::json& params, const std::string& path, std::vector<Problem>& problems);

  void accept(const Call& call) override;  // the shared waiting line
  bool answers_health_check() const override;
  void connect(World& world) override;
  void start(World& world) override;
  std::vector<Endpoint*> endpoints() override;
  void apply_fault(const FaultEvent& fault, World& world) override;
  void on_answer(const Call& call, const Answer& answer) override;
  void add_summary(nlohmann::json& summary, double end_s) const override;
  std::optional<double> signal(std::string_view name) const override;
  void add_billing(std::vector<BillingLine>& lines, double end_s) const override;

  void add_target_listener(TargetListener& listener) override
  {
    listeners_.push_back(&listener);
    pool_.waits_for_health_checks();
  }

private:
  struct Target {
    std::string id;
    Endpoint* endpoint = nullptr;
    double probability = 1;
    CallSite* site = nullptr;  // calls only: sends under the call's policy
  };
  struct Handler {
    std::optional<Distribution> cpu_s;  // reference-vCPU seconds on the instance's host, before the time spent
    Distribution service_time_s;
    std::vector<Target> calls;
    bool writes = false;  // a request handled to the end writes its key (key_versions.hpp)
  };
  struct Waiting {
    Call call;
    double arrived_s;
  };
  struct Worker {
    Call call;
    double arrived_s = 0;
    const Handler* handler = nullptr;
    std::uint32_t generation = 0;  // bumped when the instance dies or hangs: late answers are ignored
    std::uint16_t next_call = 0;
    bool is_busy = false;
    Answer learnt;  // what its calls found (an item, its state), handed back with its own answer
  };
  class Instance;
  void replace_if_unhealthy_counts(Instance& instance, World& world);

  // service_requests.cpp: the request path
  void arrive(const Call& call, Instance* instance);
  void begin(Instance& instance, std::size_t worker_index, const Waiting& waiting);
  void spend(std::size_t global_worker, std::uint32_t generation, double work_s);
  void work_done(std::size_t global_worker);
  void continue_work(std::size_t global_worker);
  void release(Instance& instance, std::size_t worker_index);
  void finish(std::size_t global_worker, Outcome outcome);  // answers with what the worker learnt
  std::optional<Waiting> next_waiting(Instance& instance);
  void serve_waiting(Instance& instance);
  const Handler& handler_for(std::uint16_t kind) const;
  Instance* instance_with_free_worker();
  bool has_instance_taking_work() const;

  // service_instances.cpp: what the instance pool tells of its instances coming and going
  void instance_changed(PooledInstance& pooled, InstanceChange change, World& world) override;
  void instance_fault(PooledInstance& pooled, const FaultEvent& fault, World& world) override;
  void add_instance(PooledInstance& pooled, bool is_launched, World& world);
  void retire(Instance& instance, World& world);
  void finish_retirement(Instance& instance);
  void end_draining(Instance& instance, World& world);  // the deregistration delay is over
  void kill(Instance& instance, World& world);
  void fail_work_held(Instance& instance);  // into lost_calls_
  void answer_lost_calls();
  void hang(Instance& instance, World& world);
  void end_hang(Instance& instance, World& world);
  void clear_slow_and_fail(Instance& instance, World& world);
  void recover(Instance& instance, World& world);
  void add_free_workers(Instance& instance);
  void fail_line(std::deque<Waiting>& line, std::vector<Call>& broken);
  void stop_taking_work(Instance& instance, World& world);  // deregisters it from load balancers

  Handler read_handler(const nlohmann::json& params, const nlohmann::json& defaults, World& world, const std::string& stream);

  World& world_;
  int concurrency_;
  std::optional<std::size_t> queue_capacity_;
  Handler default_handler_;
  std::vector<std::pair<std::uint16_t, Handler>> handlers_by_kind_;
  std::vector<Target> next_;
  std::vector<std::unique_ptr<Instance>> instances_;  // in launch order, never removed: index = id
  std::vector<Worker> workers_;  // instance i owns [i * concurrency, (i + 1) * concurrency)
  std::deque<Waiting> shared_line_;
  std::vector<Call> lost_calls_;  // a killed instance's, answered once the group has heard of the loss
  std::vector<TargetListener*> listeners_;
  Rng service_rng_;
  Rng routing_rng_;
  Rng fault_rng_;
  Rng cpu_rng_;  // a stream of its own: adding cpu_ms leaves the service times drawn as they were
  InstanceHosts hosts_;
  ServiceRuntime runtime_;
  std::uint64_t accepted_measured_ = 0;  // measured requests that reached a worker or a line
  std::uint64_t waited_measured_ = 0;    // of them, those that had to wait in a line
  const nlohmann::json& params_;
  InstancePool pool_;  // last: it calls back into the members above
};

}  // namespace archlab
