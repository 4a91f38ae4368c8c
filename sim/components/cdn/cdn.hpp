// Cdn: a CloudFront distribution in front of one origin. Each request kind has its cache behaviour
// (min/default/max TTL and what the origin's Cache-Control says, cdn_ttl.hpp); the cache key is the
// request's kind and key. A fresh copy is a hit; otherwise the request goes to the origin, and
// concurrent misses for one cache key wait for the one origin request already made (request
// collapsing). When the origin fails and an expired copy is still held, that copy is served (stale
// if error), and the error is remembered for error_caching_s, during which requests for the key are
// answered from the cache (the stale copy or the error) without calling the origin.
#pragma once

#include "sim/components/cache/cache_figures.hpp"
#include "sim/components/cache/cache_store.hpp"
#include "sim/components/cdn/cdn_ttl.hpp"
#include "sim/core/component.hpp"
#include "sim/core/distribution.hpp"
#include "sim/core/random.hpp"
#include "sim/core/registry.hpp"

#include <cstdint>
#include <deque>
#include <unordered_map>
#include <vector>

namespace archlab {

class Cdn final : public Component, public Caller {
public:
  explicit Cdn(const ComponentSetup& setup);
  static ComponentType type_description();

  void accept(const Call& call) override;
  void connect(World& world) override;
  void on_answer(const Call& call, const Answer& answer) override;  // the origin's
  std::optional<double> signal(std::string_view name) const override;
  void add_summary(nlohmann::json& summary, double end_s) const override;
  void add_billing(std::vector<BillingLine>& billing, double end_s) const override;

private:
  struct Behavior {
    double ttl_s = 0;  // what the rules decide for the origin's headers
    std::uint32_t size_bytes = 0;
  };
  struct Waiter {
    Call call;
    double arrived_s;
  };
  struct Fill {  // one origin request and the requests waiting for it
    std::uint64_t cache_key = 0;
    std::uint64_t key = 0;
    const Behavior* behavior = nullptr;
    std::vector<Waiter> waiters;
    bool is_collapsing = false;  // others may join it
  };

  const Behavior& behavior_for(std::uint16_t kind) const;
  void serve_hit(const Call& call, double arrived_s, const CachedCopy& copy, const Behavior& behavior, bool is_on_error);
  void go_to_origin(const Call& call, double arrived_s, std::uint64_t cache_key, const Behavior& behavior);
  void answer_later(const Call& call, double arrived_s, const Answer& answer_to_send);
  void answer(const Call& call, double arrived_s, const Answer& answer_to_send);

  World& world_;
  nlohmann::json origin_;
  CallSite* origin_site_ = nullptr;
  Behavior default_behavior_;
  std::vector<std::pair<std::uint16_t, Behavior>> behaviors_by_kind_;
  CacheStore store_;
  bool is_collapsing_;
  bool is_stale_if_error_;
  double error_caching_s_;
  Distribution edge_latency_s_;
  Rng latency_rng_;

  std::deque<Fill> fills_;
  std::vector<std::uint32_t> free_fills_;
  std::unordered_map<std::uint64_t, std::uint32_t> fill_of_key_;  // collapsing: the fill in flight per cache key
  std::unordered_map<std::uint64_t, double> error_until_s_;         // cached origin errors

  CacheFigures figures_;
  std::uint64_t requests_ = 0;        // since time 0, for the bill
  double bytes_out_ = 0;              // since time 0, for the bill
  std::uint64_t collapsed_ = 0;       // misses that waited for another's origin request
  std::uint64_t stale_on_error_ = 0;  // expired copies served because the origin failed
  std::uint64_t errors_from_cache_ = 0;
};

}  // namespace archlab
