// What an Amazon Keyspaces table admits, as pure decisions (time comes in as now_s). Keyspaces meters
// and limits capacity as DynamoDB does, so the rules are table's (table/table_capacity.hpp): units
// per 4 KB read and 1 KB write, provisioned throughput with burst credit, on-demand's 2 × the previous
// peak, scan pages of 1 MB. What is Keyspaces' own: the read consistency levels (LOCAL_QUORUM a whole
// unit, LOCAL_ONE half), rows grouped into partitions by key, and a ceiling on every partition, not
// one hot key's. Facts: docs/aws-facts.md, "Keyspaces tables (the `wide_column` component)".
#pragma once

#include "sim/components/table/table_capacity.hpp"

#include <cstddef>
#include <cstdint>
#include <unordered_map>

namespace archlab {

// The CQL statements a wide_column takes, in the order its latencies and counts are kept.
enum class RowOperation : std::uint8_t { get, put, scan };
inline constexpr std::size_t row_operation_count = 3;
inline constexpr const char* row_operation_names[row_operation_count] = {"get", "put", "scan"};

// Keyspaces' read consistency levels; every write is LOCAL_QUORUM.
enum class ReadConsistency : std::uint8_t { local_quorum, local_one };

// A read of `bytes` (a row, or a page's rows summed): 1 unit per 4 KB rounded up at LOCAL_QUORUM, half at LOCAL_ONE.
double row_read_units(double bytes, ReadConsistency consistency);
// A write of a row of `bytes`: 1 unit per 1 KB rounded up.
double row_write_units(double bytes);

// The partition a key's row lives in: rows 1..n of the key space fill partitions of
// `rows_per_partition` in turn, so key k is in partition (k - 1) / rows_per_partition. Key 0 (a
// request with no key) counts as key 1.
std::uint64_t partition_of(std::uint64_t key, std::uint64_t rows_per_partition);

// The table read whole, a page at a time: at most 1 MB a page (AWS) and at most `page_rows` rows
// (the driver's fetch size); each page is its own request.
ScanPages table_scan(double rows, double row_size_bytes, double page_rows, ReadConsistency consistency);

// Every partition's own ceiling: 3,000 read units and 1,000 write units a second (AWS), each a
// token bucket holding one second's worth, kept only for partitions used lately: a bucket full again
// is the same as none, so those are dropped now and then and memory follows the partitions in use.
class PartitionCeilings {
public:
  bool has(bool is_write, std::uint64_t partition, double units, double now_s) const;
  void take(bool is_write, std::uint64_t partition, double units, double now_s);
  std::size_t tracked() const { return reads_.size() + writes_.size(); }

private:
  using Buckets = std::unordered_map<std::uint64_t, TokenBucket>;
  static void forget_full(Buckets& buckets, std::size_t& limit, double now_s);
  Buckets reads_;
  Buckets writes_;
  std::size_t reads_limit_ = 4096;  // a sweep once the map holds this many
  std::size_t writes_limit_ = 4096;
};

// The whole table: reads and writes each within the table's capacity (ThroughputLimit) and within
// the ceiling of the partition they touch.
class KeyspacesCapacity {
public:
  explicit KeyspacesCapacity(const CapacitySettings& settings);
  // Whether a row operation needing `units` on `partition` goes ahead now; if it does, they are consumed.
  Admission admit(bool is_write, double units, std::uint64_t partition, double now_s);
  // A scan page: its rows span many partitions, so only the table's capacity limits it (a
  // simplification). The page waits for capacity instead of being refused: when it would fit, and
  // whether it is taken now.
  double page_fits_at_s(double units, double now_s) { return reads_.next_fit_s(units, now_s); }
  bool take_page(double units, double now_s) { return reads_.try_consume_paced(units, now_s); }
  double burst_credit(bool is_write, double now_s) const { return (is_write ? writes_ : reads_).burst_credit(now_s); }
  std::size_t partitions_tracked() const { return partitions_.tracked(); }

private:
  ThroughputLimit reads_;
  ThroughputLimit writes_;
  PartitionCeilings partitions_;
};

}  // namespace archlab
