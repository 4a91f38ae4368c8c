// Which item goes when the cache is full, under each eviction rule, and when a copy stops being fresh.
#include "sim/components/cache/cache_store.hpp"

#include <catch2/catch.hpp>

using archlab::CacheStore;
using archlab::copy_made;
using archlab::Eviction;
using archlab::is_fresh;

namespace {
void fill(CacheStore& store, std::initializer_list<std::uint64_t> keys)
{
  for (auto key : keys)
    CHECK_FALSE(store.store(key, copy_made(0, 0, std::nullopt), 0));
}
}  // namespace

TEST_CASE("cache store: lru evicts the least recently used, and a hit makes a key recent", "[cache]")
{
  CacheStore store(3, Eviction::lru);
  fill(store, {1, 2, 3});
  store.touch(1);  // 2 is now the least recently used
  auto evicted = store.store(4, copy_made(0, 1, std::nullopt), 0);
  REQUIRE(evicted);
  CHECK(*evicted == 2);
  CHECK(store.find(2) == nullptr);
  CHECK(store.find(1) != nullptr);
  CHECK(*store.store(5, copy_made(0, 2, std::nullopt), 0) == 3);
  CHECK(store.size() == 3);
}

TEST_CASE("cache store: fifo evicts the oldest stored, whatever was hit since", "[cache]")
{
  CacheStore store(3, Eviction::fifo);
  fill(store, {1, 2, 3});
  store.touch(1);
  CHECK(*store.store(4, copy_made(0, 1, std::nullopt), 0) == 1);
  CHECK(*store.store(5, copy_made(0, 1, std::nullopt), 0) == 2);
}

TEST_CASE("cache store: random evicts the item the draw points at", "[cache]")
{
  CacheStore store(4, Eviction::random);
  fill(store, {10, 20, 30, 40});  // held densely in the order stored
  CHECK(*store.store(50, copy_made(0, 1, std::nullopt), 0.6) == 30);
  CHECK(store.find(30) == nullptr);
  CHECK(store.size() == 4);
  CHECK(store.find(50) != nullptr);
}

TEST_CASE("cache store: replacing a held key evicts nothing, and erase and clear keep the order sound", "[cache]")
{
  CacheStore store(3, Eviction::lru);
  fill(store, {1, 2, 3});
  CHECK_FALSE(store.store(2, copy_made(7, 5, std::nullopt), 0));
  CHECK(store.find(2)->version == 7);
  CHECK(store.erase(1));
  CHECK_FALSE(store.erase(1));
  fill(store, {4});
  // Order now, oldest first: 3, 2, 4.
  CHECK(*store.store(5, copy_made(0, 6, std::nullopt), 0) == 3);
  CHECK(*store.store(6, copy_made(0, 6, std::nullopt), 0) == 2);
  store.clear();
  CHECK(store.size() == 0);
  fill(store, {7, 8, 9});
  CHECK(*store.store(1, copy_made(0, 7, std::nullopt), 0) == 7);
}

TEST_CASE("cache store: a copy is fresh for ttl_s from when it was stored, and for ever without a TTL", "[cache]")
{
  auto copy = copy_made(3, 10, 60.0);
  CHECK(is_fresh(copy, 69.999));
  CHECK_FALSE(is_fresh(copy, 70));
  CHECK(is_fresh(copy_made(0, 10, std::nullopt), 1e12));
}
