#include "sim/components/cache/cache_store.hpp"

#include <algorithm>
#include <limits>

namespace archlab {

std::optional<Eviction> eviction_from_name(std::string_view name)
{
  if (name == "lru")
    return Eviction::lru;
  if (name == "fifo")
    return Eviction::fifo;
  if (name == "random")
    return Eviction::random;
  return std::nullopt;
}

std::vector<std::string> eviction_names() { return {"lru", "fifo", "random"}; }

CachedCopy copy_made(std::uint64_t version, double stored_s, std::optional<double> ttl_s)
{
  return {version, stored_s, ttl_s ? stored_s + *ttl_s : std::numeric_limits<double>::infinity()};
}

CacheStore::CacheStore(std::uint64_t capacity_items, Eviction eviction) : capacity_(std::max<std::uint64_t>(capacity_items, 1)), eviction_(eviction)
{
  auto reserved = static_cast<std::size_t>(std::min<std::uint64_t>(capacity_, 1 << 16));  // grows past that as items come
  nodes_.reserve(reserved);
  index_of_.reserve(reserved);
}

const CachedCopy* CacheStore::find(std::uint64_t key) const
{
  auto found = index_of_.find(key);
  return found == index_of_.end() ? nullptr : &nodes_[found->second].copy;
}

void CacheStore::unlink(std::uint32_t index)
{
  Node& node = nodes_[index];
  (node.newer == none ? head_ : nodes_[node.newer].older) = node.older;
  (node.older == none ? tail_ : nodes_[node.older].newer) = node.newer;
  node.newer = node.older = none;
}

void CacheStore::push_front(std::uint32_t index)
{
  Node& node = nodes_[index];
  node.newer = none;
  node.older = head_;
  if (head_ != none)
    nodes_[head_].newer = index;
  head_ = index;
  if (tail_ == none)
    tail_ = index;
}

void CacheStore::touch(std::uint64_t key)
{
  if (eviction_ != Eviction::lru)
    return;
  auto found = index_of_.find(key);
  if (found == index_of_.end() || found->second == head_)
    return;
  unlink(found->second);
  push_front(found->second);
}

void CacheStore::remove_at(std::uint32_t index)
{
  unlink(index);
  index_of_.erase(nodes_[index].key);
  auto last = static_cast<std::uint32_t>(nodes_.size() - 1);
  if (index != last) {
    Node& moved = nodes_[index];
    moved = nodes_[last];
    (moved.newer == none ? head_ : nodes_[moved.newer].older) = index;
    (moved.older == none ? tail_ : nodes_[moved.older].newer) = index;
    index_of_[moved.key] = index;
  }
  nodes_.pop_back();
}

std::optional<std::uint64_t> CacheStore::store(std::uint64_t key, const CachedCopy& copy, double random_draw)
{
  if (auto found = index_of_.find(key); found != index_of_.end()) {
    // A new copy is a new write: it starts again at the head under fifo as under lru.
    nodes_[found->second].copy = copy;
    unlink(found->second);
    push_front(found->second);
    return std::nullopt;
  }
  std::optional<std::uint64_t> evicted;
  if (nodes_.size() >= capacity_) {
    std::uint32_t victim = tail_;
    if (eviction_ == Eviction::random)
      victim = static_cast<std::uint32_t>(std::min<std::size_t>(nodes_.size() - 1, static_cast<std::size_t>(random_draw * static_cast<double>(nodes_.size()))));
    evicted = nodes_[victim].key;
    remove_at(victim);
  }
  auto index = static_cast<std::uint32_t>(nodes_.size());
  nodes_.push_back({key, copy});
  index_of_.emplace(key, index);
  push_front(index);
  return evicted;
}

bool CacheStore::erase(std::uint64_t key)
{
  auto found = index_of_.find(key);
  if (found == index_of_.end())
    return false;
  remove_at(found->second);
  return true;
}

std::vector<std::uint64_t> CacheStore::keys_oldest_first() const
{
  std::vector<std::uint64_t> keys;
  keys.reserve(nodes_.size());
  for (std::uint32_t index = tail_; index != none; index = nodes_[index].newer)
    keys.push_back(nodes_[index].key);
  return keys;
}

void CacheStore::clear()
{
  nodes_.clear();
  index_of_.clear();
  head_ = tail_ = none;
}

}  // namespace archlab
