// What a bucket stores: each object's name and size, kept flat. A day of the surf-clip pipeline puts
// 1.7 million objects in two buckets, and a std::unordered_map<std::string, size> spent 72 bytes on
// each (a 64-byte node and a bucket pointer) and an allocation per put. Here an object is a 16-byte
// slot in an open-addressed table (at most three quarters full) and its name's bytes, length first,
// in one arena. A removed object leaves a tombstone and its bytes until the table is rebuilt.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace archlab {

class ObjectTable {
public:
  // The stored object's size, if `name` is stored.
  std::optional<std::uint32_t> find(std::string_view name) const;
  // Stores `name` (or replaces it); returns the size it had, if it was stored.
  std::optional<std::uint32_t> put(std::string_view name, std::uint32_t size_bytes);
  // Forgets `name`; returns the size it had, if it was stored.
  std::optional<std::uint32_t> remove(std::string_view name);
  std::size_t size() const { return live_; }

private:
  static constexpr std::uint32_t empty = UINT32_MAX;
  static constexpr std::uint32_t removed = UINT32_MAX - 1;
  struct Slot {
    std::uint64_t hash = 0;
    std::uint32_t name_at = empty;  // offset in the arena, or empty / removed
    std::uint32_t size_bytes = 0;
  };

  // The slot holding `name`, or (if none does) the first free one its probe passed.
  std::size_t probe(std::string_view name, std::uint64_t hash) const;
  std::string_view name_at(std::uint32_t offset) const;
  std::uint32_t append_name(std::string& arena, std::string_view name) const;
  void rebuild(std::size_t capacity);

  std::vector<Slot> slots_;  // a power of two in size, or none yet
  std::string arena_;
  std::size_t live_ = 0;
  std::size_t removed_ = 0;
};

}  // namespace archlab
