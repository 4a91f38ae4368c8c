// Cdn: a CloudFront distribution in front of one origin. Each request kind has its cache behaviour
// (min/default/max TTL and what the origin's Cache-Control says, cdn_ttl.hpp); the cache key is the
// request's kind and key. Viewers are spread over `edge_locations` edge locations (POPs), each with
// its own cache: a request goes to one by a hash of its user (else its connection, else its id), so
// one viewer keeps one POP. A fresh copy at the POP is a hit; otherwise the POP asks the Origin
// Shield when there is one (one shared cache, the same TTL rules), else the origin. Concurrent
// misses for one cache key at one cache wait for the one request already made (request collapsing,
// at each POP and at the shield). A copy's age counts from when it left the origin (plus the age
// the origin's answer gave): a copy passed from the shield to a POP keeps its age, and expires when
// its TTL is used up (RFC 9111 §4.2.3), so every layer's copy expires at once. When the origin
// fails and an expired copy is still held, that copy is served (stale if error), and the error is
// remembered for error_caching_s, during which requests for the key are answered from the cache
// (the stale copy or the error) without calling the origin. An invalidation (the fault action
// `invalidate`) drops every copy of every layer invalidation_s after it is made.
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
#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

namespace archlab {

// Which of `edge_locations` POPs a request goes to: a hash of its user, else of its connection,
// else of its id (a request from nobody in particular lands on a POP uniformly at random, so a
// Poisson stream splits into independent Poisson streams, one per POP). Pure.
std::uint32_t cdn_edge_location(const Request& request, std::uint32_t edge_locations);

// Paths billed for `paths` invalidated in a month: the first 1,000 are free (CloudFront pricing).
double cdn_billed_invalidation_paths(std::uint64_t paths);

class Cdn final : public Component, public Caller {
public:
  explicit Cdn(const ComponentSetup& setup);
  static ComponentType type_description();

  void accept(const Call& call) override;
  void connect(World& world) override;
  void on_answer(const Call& call, const Answer& answer) override;  // the origin's
  void apply_fault(const FaultEvent& fault, World& world) override;
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
  struct Layer {  // one cache: a POP's or the shield's
    CacheStore store;
    std::unordered_map<std::uint64_t, std::uint32_t> fill_of_key;  // collapsing: the fill in flight per cache key
  };
  // One request from a cache to the layer above it (a POP's to the shield or the origin, the
  // shield's to the origin) and who waits for it: viewers at a POP, POPs' fills at the shield.
  struct Fill {
    std::uint64_t cache_key = 0;
    std::uint64_t key = 0;
    const Behavior* behavior = nullptr;
    std::uint32_t layer = 0;  // a POP's index, or shield_layer()
    Request* request = nullptr;  // the first waiter's: the one sent on
    std::vector<Waiter> waiters;
    std::vector<std::uint32_t> pop_fills;
    bool is_collapsing = false;  // others may join it
  };
  // What a fill hears from the layer above: a copy, or a failure (with an expired copy of the shield's).
  struct Delivery {
    Outcome outcome = Outcome::ok;
    std::uint8_t item_state = 0;
    CachedCopy copy;
    std::optional<CachedCopy> stale;
  };

  const Behavior& behavior_for(std::uint16_t kind) const;
  std::uint32_t shield_layer() const { return static_cast<std::uint32_t>(pops_.size()); }
  Layer& layer(std::uint32_t index) { return index < pops_.size() ? pops_[index] : *shield_; }
  std::uint32_t start_fill(std::uint32_t layer_index, Request* request, std::uint64_t cache_key, const Behavior& behavior);
  Fill take_fill(std::uint32_t slot);
  void ask_shield(std::uint32_t pop_slot);
  void send_to_origin(std::uint32_t slot);
  void deliver(Fill fill, const Delivery& delivery);  // a POP's fill, taken
  void serve_hit(const Call& call, double arrived_s, const CachedCopy& copy, const Behavior& behavior, bool is_on_error);
  void answer_later(const Call& call, double arrived_s, const Answer& answer_to_send);
  void answer(const Call& call, double arrived_s, const Answer& answer_to_send);
  void invalidate_all();

  World& world_;
  nlohmann::json origin_;
  CallSite* origin_site_ = nullptr;
  Behavior default_behavior_;
  std::vector<std::pair<std::uint16_t, Behavior>> behaviors_by_kind_;
  std::vector<Layer> pops_;
  std::unique_ptr<Layer> shield_;  // null: no Origin Shield
  bool is_collapsing_;
  bool is_stale_if_error_;
  double error_caching_s_;
  double invalidation_s_;
  Distribution edge_latency_s_;
  Rng latency_rng_;

  std::deque<Fill> fills_;
  std::vector<std::uint32_t> free_fills_;
  std::unordered_map<std::uint64_t, double> error_until_s_;  // cached origin errors, for every POP

  CacheFigures figures_;
  std::uint64_t requests_ = 0;        // since time 0, for the bill
  double bytes_out_ = 0;              // since time 0, for the bill
  std::uint64_t shield_requests_ = 0;  // POPs' requests to the shield since time 0, for the bill
  std::uint64_t shield_hits_ = 0;     // POP misses the shield answered from its copy
  std::uint64_t shield_collapsed_ = 0;  // POPs' misses that waited at the shield for its origin request
  std::uint64_t collapsed_ = 0;       // misses that waited at their POP for its request already made
  std::uint64_t stale_on_error_ = 0;  // expired copies served because the origin failed
  std::uint64_t errors_from_cache_ = 0;
  std::uint64_t invalidations_ = 0;       // made, since time 0
  std::uint64_t invalidation_paths_ = 0;  // their paths, for the bill
  std::uint64_t invalidated_objects_ = 0;  // copies dropped by them
};

}  // namespace archlab
