// Cache: an ElastiCache node (Redis OSS or Memcached) holding capacity_items items under an eviction
// rule and an optional TTL (set when a copy is stored, not renewed by a hit, as Redis's SET with EX).
// Callers `get` (answered hit or miss), `put` and `delete` (cache-aside). With an `origin`, a get that
// misses is read through: the origin is called under the origin's call policy, its answer stored and
// handed back (status miss). Copies carry the key's version (core/key_versions.hpp): a hit on a copy
// older than the current version is a stale hit. A killed node refuses calls; it restarts empty.
#pragma once

#include "sim/components/cache/cache_figures.hpp"
#include "sim/components/cache/cache_store.hpp"
#include "sim/core/component.hpp"
#include "sim/core/distribution.hpp"
#include "sim/core/random.hpp"
#include "sim/core/registry.hpp"

#include <array>
#include <cstdint>
#include <deque>
#include <optional>

namespace archlab {

// A put's arguments at one call site: a fill (a copy just read from the origin, cache-aside's second
// step) stores the current version; otherwise the put is a write, and every other copy goes stale.
struct PutArguments final : CallArguments {
  bool is_fill = false;
};

// `origin`: the component a miss is read from, the operation it is asked and the call policy of those
// calls (a cache's read-through, a CDN's origin).
ParamSpec origin_param(std::string meaning);

class Cache final : public Component, public Caller {
public:
  explicit Cache(const ComponentSetup& setup);
  static ComponentType type_description();

  void accept(const Call& call) override;
  void connect(World& world) override;
  void on_answer(const Call& call, const Answer& answer) override;  // the origin's
  void apply_fault(const FaultEvent& fault, World& world) override;
  std::optional<double> signal(std::string_view name) const override;
  void add_summary(nlohmann::json& summary, double end_s) const override;
  void add_billing(std::vector<BillingLine>& billing, double end_s) const override;

private:
  enum class Op : std::uint8_t { get, put, erase };
  struct Fill {  // a get read through to the origin
    Call call;
    double arrived_s = 0;
    std::uint32_t life = 0;  // the node's life it started in: a restarted node has forgotten it
    bool is_in_use = false;
  };

  void get(const Call& call, double arrived_s);
  void put(const Call& call, double arrived_s);
  void read_through(const Call& call, double arrived_s);
  void answer(const Call& call, double arrived_s, const Answer& answer_to_send);
  void answer_after(Op op, const Call& call, double arrived_s, const Answer& answer_to_send);
  void keep(std::uint64_t key, std::uint64_t version);
  static std::optional<Op> op_of(Operation operation);

  World& world_;
  CacheStore store_;
  std::optional<double> ttl_s_;
  std::uint32_t item_size_bytes_;
  std::string node_type_;
  int nodes_;
  std::optional<nlohmann::json> origin_;
  CallSite* origin_site_ = nullptr;
  std::array<Distribution, 3> latency_s_;
  Rng latency_rng_;
  Rng eviction_rng_;  // drawn only under random eviction

  std::deque<Fill> fills_;
  std::vector<std::uint32_t> free_fills_;
  std::uint32_t life_ = 1;  // bumped when the node dies
  bool is_down_ = false;

  CacheFigures figures_;
  std::array<std::uint64_t, 3> by_operation_{};
  std::uint64_t refused_ = 0;      // calls while the node was down
  std::uint64_t items_lost_ = 0;   // by node failures
  bool has_logged_bad_operation_ = false;
};

}  // namespace archlab
