// One instance of a service: an endpoint of its own (what a load balancer targets), its waiting
// line, its workers' free list and the state faults and scaling put it in. Private to service/.
#pragma once

#include "sim/components/service/service.hpp"
#include "sim/metrics/station_stats.hpp"

#include <string>

namespace archlab {

class Service::Instance final : public Endpoint, public HealthChecked {
public:
  Instance(Service& service, std::size_t index) : service_(service), index_(index) {}
  void accept(const Call& call) override { service_.arrive(call, this); }
  bool answers_health_check() const override { return is_alive && !is_hung; }
  HealthAnswer health_answer() const override
  {
    return !is_alive ? HealthAnswer::refused : is_hung ? HealthAnswer::no_answer : HealthAnswer::passes;
  }
  std::string endpoint_name() const override { return service_.id() + "#" + std::to_string(index_); }

  std::size_t index() const { return index_; }
  bool takes_work() const { return is_alive && !is_retiring; }
  bool is_idle() const { return busy_workers == 0 && line.empty(); }

  bool is_alive = true;       // running; false once killed (or, retired, terminated)
  bool is_gone = false;       // terminated: it never comes back
  bool is_retiring = false;   // scale-in: finishes what it holds, takes nothing new
  bool is_hung = false;       // accepts work, finishes none
  double slow_factor = 1;
  double failure_probability = 0;
  std::string zone;
  std::string down_with_zone;  // the zone outage that took it (its recovery brings it back)
  std::deque<Waiting> line;
  std::vector<std::size_t> free_workers;  // local indexes, used as a stack
  int busy_workers = 0;
  TimeWeighted busy;          // busy workers over time: the CPU figure the scaling group reads
  std::uint64_t requests = 0;

private:
  Service& service_;
  std::size_t index_;
};

}  // namespace archlab
