// One instance of a service: an endpoint of its own (what a load balancer targets), its waiting
// line, its workers' free list and the faults of its own (slow, fail). Its life (running, hung,
// retiring, terminated) is the pool's record. Private to service/.
#pragma once

#include "sim/components/service/service.hpp"

#include <string>

namespace archlab {

class Service::Instance final : public Endpoint, public HealthChecked {
public:
  Instance(Service& service, PooledInstance& pooled) : pooled(pooled), service_(service) {}
  void accept(const Call& call) override { service_.arrive(call, this); }
  bool answers_health_check() const override { return pooled.is_running() && !pooled.is_hung; }
  HealthAnswer health_answer() const override
  {
    return !pooled.is_running() ? HealthAnswer::refused : pooled.is_hung ? HealthAnswer::no_answer : HealthAnswer::passes;
  }
  std::string endpoint_name() const override { return service_.id() + "#" + std::to_string(index()); }
  std::string_view zone_name() const override { return pooled.zone; }
  void marked_unhealthy(World& world) override { service_.replace_if_unhealthy_counts(*this, world); }
  void marked_healthy(World& world) override { service_.pool_.passed_health_check(pooled, world); }

  std::size_t index() const { return pooled.index; }
  bool takes_work() const { return pooled.takes_work(); }
  bool is_idle() const { return busy_workers == 0 && line.empty(); }

  PooledInstance& pooled;
  double slow_factor = 1;
  double failure_probability = 0;
  std::deque<Waiting> line;
  std::vector<std::size_t> free_workers;  // local indexes, used as a stack
  int busy_workers = 0;
  bool is_registered = true;  // load balancers send to it (until scale-in or its group's termination)

private:
  Service& service_;
};

}  // namespace archlab
