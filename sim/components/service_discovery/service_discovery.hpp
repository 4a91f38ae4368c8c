// Service discovery (AWS Cloud Map, DNS): the tasks of its targets register as they start and
// deregister as they stop; a caller resolves the name, keeps the answer for the record's TTL (or its
// own client's cache time), and calls one of the addresses it holds. A task replaced meanwhile is
// still called at its old address, where nothing answers: the connection attempt times out.
//
// The component stands for the name and every caller's resolver cache at once: `caches_per_caller`
// caches for each call site that names it (one per calling task, each refreshed on its own
// schedule; a request is served by one of them at random, as a load balancer spreads requests over
// the calling tasks), and it hands each call straight to the task chosen, so the answer goes back to
// the caller unchanged.
#pragma once

#include "sim/components/load_balancer/target_group.hpp"
#include "sim/core/component.hpp"
#include "sim/core/random.hpp"
#include "sim/core/registry.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <map>
#include <utility>
#include <vector>

namespace archlab {

class ServiceDiscovery final : public Component {
public:
  explicit ServiceDiscovery(const ComponentSetup& setup);
  ~ServiceDiscovery() override;
  static ComponentType type_description();

  void accept(const Call& call) override;
  void connect(World& world) override;
  void add_summary(nlohmann::json& summary, double end_s) const override;
  std::optional<double> signal(std::string_view name) const override;

private:
  struct CachedAnswer {
    std::vector<Endpoint*> addresses;
    double expires_s = -1;
  };
  class Registration;  // hears a target's tasks come and go

  void registered(Endpoint& task, World& world);
  void deregistered(Endpoint& task, World& world);
  const CachedAnswer& answer_for(const Call& call);
  bool is_stale(const Endpoint& address) const;

  World& world_;
  std::vector<std::string> target_ids_;
  double ttl_s_;
  std::optional<double> client_cache_s_;
  std::size_t max_answers_;
  double connect_timeout_s_;
  bool tries_next_address_;
  double stop_timeout_s_;
  std::vector<Endpoint*> registered_;  // in registration order
  std::size_t caches_per_caller_;
  std::map<std::pair<const Caller*, std::size_t>, CachedAnswer> caches_;
  std::vector<std::unique_ptr<Registration>> registrations_;
  std::vector<bool> scratch_stale_;
  Rng answer_rng_;
  Rng choice_rng_;
  Rng phase_rng_;
  std::uint64_t lookups_ = 0;
  std::uint64_t empty_answers_ = 0;
  std::uint64_t calls_ = 0;
  std::uint64_t stale_connects_ = 0;     // connection attempts to an address no task holds
  std::uint64_t failed_stale_ = 0;       // calls that failed for it
  std::uint64_t registrations_count_ = 0;
  std::uint64_t deregistrations_count_ = 0;
};

}  // namespace archlab
