#include "sim/components/bucket/object_table.hpp"

#include <functional>
#include <stdexcept>

namespace archlab {

std::string_view ObjectTable::name_at(std::uint32_t offset) const
{
  // A length as 7 bits a byte (a name is rarely over 127 bytes), then the bytes.
  std::size_t length = 0;
  int shift = 0;
  unsigned char byte = 0;
  do {
    byte = static_cast<unsigned char>(arena_[offset++]);
    length |= static_cast<std::size_t>(byte & 0x7F) << shift;
    shift += 7;
  } while (byte & 0x80);
  return std::string_view(arena_).substr(offset, length);
}

std::uint32_t ObjectTable::append_name(std::string& arena, std::string_view name) const
{
  if (arena.size() + name.size() + 8 >= removed)
    throw std::length_error("a bucket's object names take more than 4 GB");
  auto offset = static_cast<std::uint32_t>(arena.size());
  std::size_t length = name.size();
  do {
    unsigned char byte = length & 0x7F;
    length >>= 7;
    arena.push_back(static_cast<char>(length ? byte | 0x80 : byte));
  } while (length);
  arena.append(name);
  return offset;
}

std::size_t ObjectTable::probe(std::string_view name, std::uint64_t hash) const
{
  std::size_t mask = slots_.size() - 1;
  std::size_t free = slots_.size();
  for (std::size_t index = hash & mask;; index = (index + 1) & mask) {
    const Slot& slot = slots_[index];
    if (slot.name_at == empty)
      return free < slots_.size() ? free : index;
    if (slot.name_at == removed) {
      if (free == slots_.size())
        free = index;
    } else if (slot.hash == hash && name_at(slot.name_at) == name) {
      return index;
    }
  }
}

std::optional<std::uint32_t> ObjectTable::find(std::string_view name) const
{
  if (live_ == 0)
    return std::nullopt;
  const Slot& slot = slots_[probe(name, std::hash<std::string_view>{}(name))];
  if (slot.name_at >= removed)
    return std::nullopt;
  return slot.size_bytes;
}

std::optional<std::uint32_t> ObjectTable::put(std::string_view name, std::uint32_t size_bytes)
{
  // A quarter of the slots stays empty, so every probe ends at one.
  if ((live_ + removed_ + 1) * 4 > slots_.size() * 3)
    rebuild(live_ + 1 > slots_.size() / 4 ? (slots_.empty() ? 16 : slots_.size() * 2) : slots_.size());
  std::uint64_t hash = std::hash<std::string_view>{}(name);
  Slot& slot = slots_[probe(name, hash)];
  if (slot.name_at < removed) {
    std::uint32_t was = slot.size_bytes;
    slot.size_bytes = size_bytes;
    return was;
  }
  if (slot.name_at == removed)
    --removed_;
  slot = {hash, append_name(arena_, name), size_bytes};
  ++live_;
  return std::nullopt;
}

std::optional<std::uint32_t> ObjectTable::remove(std::string_view name)
{
  if (live_ == 0)
    return std::nullopt;
  Slot& slot = slots_[probe(name, std::hash<std::string_view>{}(name))];
  if (slot.name_at >= removed)
    return std::nullopt;
  slot.name_at = removed;
  --live_;
  ++removed_;
  return slot.size_bytes;
}

// Tombstones go, and with them (if there were any) the bytes of the names they held.
void ObjectTable::rebuild(std::size_t capacity)
{
  std::vector<Slot> old(capacity);
  old.swap(slots_);
  std::string arena;
  if (removed_ > 0)
    arena.reserve(arena_.size());
  for (const Slot& slot : old) {
    if (slot.name_at >= removed)
      continue;
    std::size_t index = slot.hash & (slots_.size() - 1);
    while (slots_[index].name_at != empty)
      index = (index + 1) & (slots_.size() - 1);
    slots_[index] = {slot.hash, removed_ > 0 ? append_name(arena, name_at(slot.name_at)) : slot.name_at, slot.size_bytes};
  }
  if (removed_ > 0)
    arena_.swap(arena);
  removed_ = 0;
}

}  // namespace archlab
