// Cache: an ElastiCache node (Redis OSS or Memcached) holding capacity_items items under an eviction
// rule and an optional TTL (set when a copy is stored, not renewed by a hit, as Redis's SET with EX).
// Callers `get` (answered hit or miss), `put` and `delete` (cache-aside). With an `origin`, a get that
// misses is read through: the origin is called under the origin's call policy, its answer stored and
// handed back (status miss). Copies carry the key's version (core/key_versions.hpp): a hit on a copy
// older than the current version is a stale hit, and says its age (Answer::age_s).
//
// A killed primary refuses calls. With `multi_az` and a replica in service, the replica is promoted
// after `failover_s` and serves what it held: everything but the writes of the last
// `replication_lag_ms` (asynchronous replication), which are undone. Otherwise the node is down until
// it recovers, and restarts empty; with a `rebuild` source it calls that source once and stays out of
// service (gets miss, writes rejected) until the source answers, then holds again the keys it held
// when it died. A get or put may carry `size_bytes` (a big value): it crosses the node's network at
// `network_gbps`, one transfer at a time each way. Rules: cache_replication.hpp.
#pragma once

#include "sim/components/cache/cache_figures.hpp"
#include "sim/components/cache/cache_replication.hpp"
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

// A get's (or a delete's) arguments at one call site: the size of the value it reads, when the call
// site says it (a big value: its transfer over the node's network counts; absent, the node's
// item_size_bytes and no transfer time), and the key it names, when every call names the same one (a
// board kept as one bitfield; absent, the request's key).
struct CacheArguments : CallArguments {
  std::optional<std::uint32_t> size_bytes;
  std::optional<std::uint64_t> key;
};

// A put's arguments at one call site: a fill (a copy just read from the origin, cache-aside's second
// step) stores the current version; otherwise the put is a write, and every other copy goes stale.
struct PutArguments final : CacheArguments {
  bool is_fill = false;
};

// `origin`: the component a miss is read from, the operation it is asked and the call policy of those
// calls (a cache's read-through, a CDN's origin).
ParamSpec origin_param(std::string meaning);

// The nodes a cache's parameters bill and the replicas among them (`nodes`, `replicas`, either or none).
NodeCounts node_counts_of(const nlohmann::json& params);

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

  struct RecentWrite {  // a write the replicas may not have yet (kept for replication_lag_ms)
    double at_s = 0;
    std::uint64_t key = 0;
    std::optional<CachedCopy> previous;  // what the key held before: a lost write is undone to it
  };

  void get(const Call& call, double arrived_s);
  void put(const Call& call, double arrived_s);
  void erase(const Call& call, double arrived_s);
  void read_through(const Call& call, double arrived_s);
  void answer(const Call& call, double arrived_s, const Answer& answer_to_send);
  void answer_after(Op op, const Call& call, double arrived_s, const Answer& answer_to_send);
  void answer_at(const Call& call, double arrived_s, double at_s, const Answer& answer_to_send);
  void keep(std::uint64_t key, std::uint64_t version);
  void restore(std::uint64_t key, const CachedCopy& copy);
  static std::optional<Op> op_of(Operation operation);
  std::optional<std::uint32_t> size_of(const Call& call) const;
  static std::uint64_t key_of(const Call& call);

  // A node's life: the primary dies, fails over or restarts, is rebuilt.
  void primary_fails(World& world);
  void fail_fills_in_flight();
  void remember_write(std::uint64_t key, const CachedCopy* previous);
  std::size_t undo_unreplicated_writes(double failure_s);
  void promote(std::uint32_t life);
  void restart(World& world);
  void start_rebuild(std::uint32_t life);
  void on_rebuilt(const Answer& rebuild_answer, std::uint32_t life);
  bool has_replication() const { return multi_az_ || replicas_ > 0; }

  World& world_;
  CacheStore store_;
  std::optional<double> ttl_s_;
  bool renews_ttl_on_hit_ = false;
  std::uint32_t item_size_bytes_;
  std::string node_type_;
  int nodes_ = 1;  // billed: the primary and its replicas
  int replicas_ = 0;
  bool multi_az_ = false;
  double failover_s_ = 0;
  double replication_lag_s_ = 0;
  double network_gbps_ = 0;
  std::optional<nlohmann::json> origin_;
  CallSite* origin_site_ = nullptr;
  std::optional<nlohmann::json> rebuild_;
  CallSite* rebuild_site_ = nullptr;
  double rebuild_retry_s_ = 0;
  std::array<Distribution, 3> latency_s_;
  Rng latency_rng_;
  Rng eviction_rng_;  // drawn only under random eviction

  std::deque<Fill> fills_;
  std::vector<std::uint32_t> free_fills_;
  std::uint32_t life_ = 1;  // bumped when the primary dies
  NodeState state_ = NodeState::serving;
  int replicas_in_service_ = 0;
  std::deque<RecentWrite> recent_writes_;       // only with a failover to lose them in
  std::vector<std::uint64_t> keys_to_rebuild_;  // what the node held when it died
  std::deque<Request> rebuild_requests_;        // one per rebuild call made (a few a run)
  NetworkLink link_out_;                        // the node's network: big values read
  NetworkLink link_in_;                         // and written
  double state_since_s_ = 0;                    // when the node entered its state

  CacheFigures figures_;
  std::array<std::uint64_t, 3> by_operation_{};
  std::uint64_t refused_ = 0;      // calls while the node was down
  std::uint64_t items_lost_ = 0;   // by node failures
  std::uint64_t writes_refused_ = 0;  // puts and deletes refused: down, failing over or rebuilding
  std::uint64_t writes_lost_ = 0;     // acknowledged writes a failover undid (not yet replicated)
  std::uint64_t failovers_ = 0;
  double failover_total_s_ = 0;       // time spent failing over (ended failovers)
  std::uint64_t rebuilds_ = 0;        // rebuilds that ended with the source's answer
  std::uint64_t rebuild_failures_ = 0;
  double rebuild_total_s_ = 0;        // time from restart to rebuilt (ended rebuilds)
  bool has_logged_bad_operation_ = false;
};

}  // namespace archlab
