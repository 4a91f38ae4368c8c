// Which version of each key is current: a write (a service handler marked `writes`, a put or update
// on a table or cache) makes every copy a cache holds of the key older than the current one, and a
// cache that serves such a copy counts a stale hit. One table per World (a side table), so that the
// writer and every cache see the same versions without knowing of each other.
#pragma once

#include "sim/core/world.hpp"

#include <cstdint>
#include <unordered_map>

namespace archlab {

class KeyVersions {
public:
  std::uint64_t version(std::uint64_t key) const  // 0: never written
  {
    if (versions_.empty())
      return 0;
    auto found = versions_.find(key);
    return found == versions_.end() ? 0 : found->second;
  }
  void write(std::uint64_t key)
  {
    if (key != 0)
      ++versions_[key];
  }

private:
  std::unordered_map<std::uint64_t, std::uint64_t> versions_;
};

inline KeyVersions& key_versions_of(World& world) { return world.side_table<KeyVersions>(); }

}  // namespace archlab
