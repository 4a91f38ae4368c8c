// Load balancer: spreads requests over the instances of its targets, like an ALB target group.
// A pure policy (balancing_policies.hpp) picks the target; periodic health checks
// (health_check.hpp) take failed instances out of rotation, after interval × threshold.
#pragma once

#include "sim/components/load_balancer/balancing_policies.hpp"
#include "sim/components/load_balancer/health_check.hpp"
#include "sim/core/component.hpp"
#include "sim/core/registry.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace archlab {

class LoadBalancer final : public Component, public Caller {
public:
  explicit LoadBalancer(const ComponentSetup& setup);
  static ComponentType type_description();

  void accept(const Call& call) override;
  void connect(World& world) override;
  void start(World& world) override;
  void on_answer(const Call& call, Outcome outcome) override;
  void add_summary(nlohmann::json& summary, double end_s) const override;

private:
  struct Target {
    Endpoint* endpoint = nullptr;
    TargetHealth health;
    std::uint64_t requests = 0;
    int times_marked_unhealthy = 0;
  };
  struct Pending {
    Call call;
    double arrived_s = 0;
    std::uint32_t target = 0;
  };

  void check_health(std::size_t target_index, World& world);

  BalancingPolicy policy_;
  HealthCheckSettings health_settings_;
  std::vector<std::string> target_ids_;
  std::vector<double> weights_by_id_;
  std::vector<Target> targets_;
  std::vector<TargetView> views_;  // what the policy sees, same order as targets_
  BalancerMemory memory_;
  Rng rng_;
  std::vector<Pending> pending_;
  std::vector<std::uint32_t> free_pending_;
};

}  // namespace archlab
