// Load balancer: spreads requests over the instances of its targets, like an ALB target group, or
// (kind network) routes each connection to one target by its flow hash, like an NLB.
// A pure policy (balancing_policies.hpp) picks the target; periodic health checks
// (health_check.hpp) take failed instances out of rotation, after interval × threshold. Instances
// an Auto Scaling group launches register at run time (initial state, traffic once a check
// passes); retired ones deregister and drain (target_group.hpp).
#pragma once

#include "sim/components/load_balancer/balancing_policies.hpp"
#include "sim/components/load_balancer/health_check.hpp"
#include "sim/components/load_balancer/per_user_limit.hpp"
#include "sim/components/load_balancer/target_group.hpp"
#include "sim/core/component.hpp"
#include "sim/core/registry.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace archlab {

class LoadBalancer final : public Component, public Caller {
public:
  explicit LoadBalancer(const ComponentSetup& setup);
  ~LoadBalancer() override;
  static ComponentType type_description();

  void accept(const Call& call) override;
  void connect(World& world) override;
  void start(World& world) override;
  void on_answer(const Call& call, const Answer& answer) override;
  void add_summary(nlohmann::json& summary, double end_s) const override;
  void add_billing(std::vector<BillingLine>& lines, double end_s) const override;

private:
  struct Target {
    Endpoint* endpoint = nullptr;
    TargetHealth health;
    double weight = 1;
    std::uint64_t requests = 0;
    int outstanding = 0;
    int times_marked_unhealthy = 0;
    int view = -1;  // its place in views_ while it can take traffic; -1: initial, or deregistered
    bool is_registered = true;
  };
  struct Pending {
    Call call;
    double arrived_s = 0;
    std::uint32_t target = 0;
  };
  struct Route {  // a listener rule: one request kind to one component, never health checked
    std::uint16_t kind = 0;
    Endpoint* endpoint = nullptr;
    std::uint64_t requests = 0;
  };
  static constexpr std::uint32_t routed = 0xFFFFFFFFu;  // a Pending's target when a rule sent it
  class Registration;  // hears a target source's instances come and go

  std::uint32_t take_slot(const Pending& pending);
  Route* route_for(std::uint16_t kind);
  bool is_over_user_limit(const Request& request, double now_s);

  std::size_t add_target(Endpoint& endpoint, double weight, bool is_registered_at_run_time);
  void target_registered(Endpoint& endpoint, double weight, World& world);
  void target_deregistered(Endpoint& endpoint, World& world);
  void show(std::size_t target_index);  // into rotation (the policy's view)
  void hide(std::size_t target_index);
  void check_health(std::size_t target_index, World& world);
  void record_check(std::size_t target_index, bool passed, World& world);

  bool is_network_;
  BalancingPolicy policy_;
  HealthCheckSettings health_settings_;
  double deregistration_delay_s_;
  std::vector<std::string> zones_;       // the balancer's zones: one node each
  bool is_zonal_ = false;                // cross-zone balancing off, over two zones or more
  std::vector<std::size_t> node_targets_;  // scratch: the chosen node's targets (indexes into views_)
  std::vector<TargetView> node_views_;
  std::vector<std::string> target_ids_;
  std::vector<double> weights_by_id_;
  std::vector<std::pair<std::uint16_t, std::string>> route_ids_;
  std::vector<Route> routes_;
  std::optional<PerUserLimit> per_user_limit_;
  std::vector<std::uint16_t> limited_kinds_;  // empty: every kind
  std::uint64_t limited_ = 0;                 // requests refused by the per-user limit, after the warm-up
  std::vector<Target> targets_;               // every target ever registered, in order
  std::vector<TargetView> views_;             // what the policy sees: the targets in rotation
  std::vector<std::size_t> view_targets_;     // views_[i] is targets_[view_targets_[i]]
  std::vector<std::unique_ptr<Registration>> registrations_;
  BalancerMemory memory_;
  Rng rng_;
  Rng phase_rng_;
  std::vector<Pending> pending_;
  std::vector<std::uint32_t> free_pending_;
};

}  // namespace archlab
