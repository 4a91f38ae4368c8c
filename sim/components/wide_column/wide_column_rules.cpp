#include "sim/components/wide_column/wide_column_rules.hpp"

#include <algorithm>

namespace archlab {

double row_read_units(double bytes, ReadConsistency consistency)
{
  return read_units(bytes, consistency == ReadConsistency::local_quorum);
}

double row_write_units(double bytes)
{
  return write_units(bytes);
}

std::uint64_t partition_of(std::uint64_t key, std::uint64_t rows_per_partition)
{
  return (std::max<std::uint64_t>(key, 1) - 1) / std::max<std::uint64_t>(rows_per_partition, 1);
}

ScanPages table_scan(double rows, double row_size_bytes, double page_rows, ReadConsistency consistency)
{
  return scan_pages({.item_size_bytes = row_size_bytes,
                     .is_consistent_read = consistency == ReadConsistency::local_quorum,
                     .query_items = 1,
                     .item_count = rows,
                     .page_items = page_rows});
}

bool PartitionCeilings::has(bool is_write, std::uint64_t partition, double units, double now_s) const
{
  const Buckets& buckets = is_write ? writes_ : reads_;
  auto found = buckets.find(partition);
  double ceiling = is_write ? partition_write_units_per_s : partition_read_units_per_s;
  return found == buckets.end() ? units <= ceiling + 1e-9 : found->second.has(units, now_s);
}

void PartitionCeilings::take(bool is_write, std::uint64_t partition, double units, double now_s)
{
  Buckets& buckets = is_write ? writes_ : reads_;
  auto found = buckets.find(partition);
  if (found == buckets.end()) {
    double ceiling = is_write ? partition_write_units_per_s : partition_read_units_per_s;
    found = buckets.emplace(partition, TokenBucket(ceiling, ceiling, ceiling)).first;
  }
  found->second.take(units, now_s);
  forget_full(buckets, is_write ? writes_limit_ : reads_limit_, now_s);
}

void PartitionCeilings::forget_full(Buckets& buckets, std::size_t& limit, double now_s)
{
  if (buckets.size() < limit)
    return;
  // Which buckets go does not depend on the map's order: each full one is dropped, whatever its place.
  for (auto it = buckets.begin(); it != buckets.end();)
    it = it->second.tokens(now_s) >= it->second.capacity() - 1e-9 ? buckets.erase(it) : std::next(it);
  limit = std::max<std::size_t>(4096, 2 * buckets.size());
}

KeyspacesCapacity::KeyspacesCapacity(const CapacitySettings& settings)
    // AWS: a new on-demand Keyspaces table sustains 4,000 writes and 12,000 LOCAL_QUORUM reads a second.
    : reads_(settings.mode, settings.read_capacity_units, settings.burst_window_s, 12000, settings.on_demand_settle_s),
      writes_(settings.mode, settings.write_capacity_units, settings.burst_window_s, 4000, settings.on_demand_settle_s)
{
}

Admission KeyspacesCapacity::admit(bool is_write, double units, std::uint64_t partition, double now_s)
{
  if (!partitions_.has(is_write, partition, units, now_s))
    return Admission::over_partition_ceiling;
  if (!(is_write ? writes_ : reads_).try_consume(units, now_s))
    return Admission::over_table_capacity;
  partitions_.take(is_write, partition, units, now_s);
  return Admission::admitted;
}

}  // namespace archlab
