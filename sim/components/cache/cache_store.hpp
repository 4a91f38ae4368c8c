// The items a cache holds and which one goes when it is full: a fixed number of places, and an
// eviction rule — lru (the least recently used goes: Redis's allkeys-lru, Memcached's LRU), fifo (the
// oldest stored goes) or random (Redis's allkeys-random). Pure: time and random draws are arguments,
// so tests hold the hit ratios to their formulas (Che's approximation for LRU, the FIFO/random fixed
// point). Expiry is the caller's decision (is_fresh): a CDN may still serve an expired copy when its
// origin fails, so an expired copy stays until it is replaced or evicted.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace archlab {

enum class Eviction : std::uint8_t { lru, fifo, random };
std::optional<Eviction> eviction_from_name(std::string_view name);
std::vector<std::string> eviction_names();

struct CachedCopy {
  std::uint64_t version = 0;  // the key's version when the copy was made (key_versions.hpp)
  double stored_s = 0;        // when the copy left its origin: its age is counted from here
  double expires_s = 0;       // after this it is no longer fresh
};

// A copy kept for ttl_s from stored_s; absent TTL: never expires.
CachedCopy copy_made(std::uint64_t version, double stored_s, std::optional<double> ttl_s);
inline bool is_fresh(const CachedCopy& copy, double now_s) { return now_s < copy.expires_s; }

class CacheStore {
public:
  CacheStore(std::uint64_t capacity_items, Eviction eviction);

  const CachedCopy* find(std::uint64_t key) const;
  void touch(std::uint64_t key);  // a hit: under lru the key becomes the most recently used
  // Stores (or replaces) the copy of `key`; when a new key finds the store full, one is evicted and
  // returned. `random_draw` in [0, 1) picks the victim under random eviction (unused otherwise).
  std::optional<std::uint64_t> store(std::uint64_t key, const CachedCopy& copy, double random_draw);
  bool erase(std::uint64_t key);
  void clear();

  std::vector<std::uint64_t> keys_oldest_first() const;  // lru: least recently used first; fifo, random: oldest stored first
  std::size_t size() const { return nodes_.size(); }
  std::uint64_t capacity_items() const { return capacity_; }
  Eviction eviction() const { return eviction_; }

private:
  static constexpr std::uint32_t none = 0xFFFFFFFFu;
  struct Node {
    std::uint64_t key;
    CachedCopy copy;
    std::uint32_t newer = none;  // towards the head (most recently used or stored)
    std::uint32_t older = none;
  };
  void unlink(std::uint32_t index);
  void push_front(std::uint32_t index);
  void remove_at(std::uint32_t index);  // the last node moves into its place: nodes stay dense

  std::uint64_t capacity_;
  Eviction eviction_;
  std::vector<Node> nodes_;
  std::unordered_map<std::uint64_t, std::uint32_t> index_of_;
  std::uint32_t head_ = none;
  std::uint32_t tail_ = none;
};

}  // namespace archlab
