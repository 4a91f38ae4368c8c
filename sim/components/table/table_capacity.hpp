// What a DynamoDB table admits, as pure decisions (time comes in as now_s): capacity units per
// item size, provisioned throughput with burst credit, on-demand's "2 × the previous peak" ceiling,
// the per-partition ceilings a hot key runs into, and which items sit under the hot key. The units,
// ThroughputLimit, the partition ceilings and scan_pages are shared with wide_column (Keyspaces).
// Facts: docs/aws-facts.md §5.
#pragma once

#include "sim/components/api_gateway/token_bucket.hpp"

#include <cstddef>
#include <cstdint>
#include <deque>

namespace archlab {

// The DynamoDB calls a table takes, in the order its latencies and counts are kept.
enum class TableOperation : std::uint8_t { get, put, update, query, scan };
inline constexpr std::size_t table_operation_count = 5;
inline constexpr const char* table_operation_names[table_operation_count] = {"get", "put", "update", "query", "scan"};

bool is_read_operation(TableOperation operation);   // get, query, scan
bool is_write_operation(TableOperation operation);  // put, update

// A read unit covers 4 KB, rounded up: 1 for a strongly consistent read, 0.5 eventually consistent.
double read_units(double size_bytes, bool is_consistent);
// A write unit covers 1 KB, rounded up.
double write_units(double size_bytes);

struct UnitRules {
  double item_size_bytes = 1024;
  bool is_consistent_read = false;
  int query_items = 1;       // a query's items are summed before rounding up to 4 KB, at most 1 MB a call
  double item_count = 1000;  // the table's items, which a scan reads page by page
  double page_items = 0;     // a scan page's items at most besides the 1 MB (a driver's fetch size); 0: no limit
};
// Units one attempt of `operation` consumes (a scan: one page's); 0 for an operation a table does not take.
double units_for(TableOperation operation, const UnitRules& rules);

// A Scan reads the whole table a page at a time, each page at most 1 MB (AWS) and at most
// `page_items` items when set, each page its own request: the pages, and the units of a full page
// and of the last one.
struct ScanPages {
  long pages = 1;
  double units_per_page = 0;
  double units_last_page = 0;
};
ScanPages scan_pages(const UnitRules& rules);

// On-demand: a table instantly takes up to 2 × its previous peak. Our rule for "previous peak":
// the highest consumption in any one second that is at least `settle_s` old (AWS: going beyond 2×
// within 30 minutes may be throttled, so a new peak counts once DynamoDB has had 30 minutes to
// allocate for it). A new table behaves as if its peak were half the doc's example (4,000 WRU/s,
// 12,000 RRU/s). Consumption is counted per whole second of simulated time.
class OnDemandLimit {
public:
  OnDemandLimit() = default;
  OnDemandLimit(double initial_ceiling_per_s, double settle_s, double max_per_s);

  double ceiling_per_s(double now_s);     // what this second may consume in all
  bool try_consume(double units, double now_s);
  double previous_peak_per_s(double now_s);
  // The earliest time from now_s at which `units` would fit: now_s, else the next whole second;
  // infinity when they exceed a whole second's ceiling.
  double next_fit_s(double units, double now_s);

private:
  void advance(double now_s);
  struct Second {
    std::int64_t index;
    double units;
  };
  double initial_peak_per_s_ = 0;
  std::int64_t settle_seconds_ = 1800;
  double max_per_s_ = 0;
  double settled_peak_per_s_ = 0;
  std::deque<Second> recent_;  // past seconds not yet settled, oldest first
  std::int64_t current_index_ = 0;
  double current_units_ = 0;
};

enum class CapacityMode { on_demand, provisioned };

struct CapacitySettings {
  CapacityMode mode = CapacityMode::on_demand;
  double read_capacity_units = 5;   // provisioned, per second
  double write_capacity_units = 5;
  double burst_window_s = 300;      // provisioned: unused capacity kept this long (AWS 300 s)
  double on_demand_settle_s = 1800; // on-demand: a new peak counts after 30 minutes (AWS)
};

// AWS: each partition serves at most 3,000 RCU and 1,000 WCU per second, limited separately.
inline constexpr double partition_read_units_per_s = 3000;
inline constexpr double partition_write_units_per_s = 1000;
// AWS default quotas: 40,000 RCU and 40,000 WCU per table, in both modes.
inline constexpr double table_max_units_per_s = 40000;

enum class Admission { admitted, over_table_capacity, over_partition_ceiling };

// One side (reads or writes) of a table's throughput in its capacity mode: provisioned units per
// second with burst credit of `burst_window_s` (starting full), or on-demand's 2 × the previous
// peak from `on_demand_initial_ceiling_per_s`. A DynamoDB table and a Keyspaces table (wide_column)
// each keep one for reads and one for writes.
class ThroughputLimit {
public:
  ThroughputLimit() = default;
  ThroughputLimit(CapacityMode mode, double provisioned_units_per_s, double burst_window_s, double on_demand_initial_ceiling_per_s,
                  double on_demand_settle_s);
  bool try_consume(double units, double now_s);  // consumes them if they fit now
  double burst_credit(double now_s) const;       // provisioned: units left to spend
  // The earliest time from now_s at which `units` would fit, nothing else consuming meanwhile:
  // now_s if they fit now; for a provisioned request larger than the bucket holds, when it is full;
  // on demand, infinity for one above a whole second's ceiling. A reader that paces itself to the
  // capacity (a wide_column's scan) waits until then.
  double next_fit_s(double units, double now_s);
  // For a reader that paces itself: as try_consume, but a provisioned request larger than the
  // bucket can ever hold is taken once the bucket is full, leaving it in debt (so the average rate
  // still holds); next_fit_s gives that moment for such a request.
  bool try_consume_paced(double units, double now_s);

private:
  CapacityMode mode_ = CapacityMode::on_demand;
  TokenBucket provisioned_;
  OnDemandLimit on_demand_;
};

// The whole table: reads and writes are limited separately; an attempt on the hot partition key
// must also fit that partition's ceiling, whatever the table has left.
class TableCapacity {
public:
  explicit TableCapacity(const CapacitySettings& settings);
  // Whether an attempt needing `units` goes ahead now; if it does, its units are consumed.
  Admission admit(bool is_write, double units, bool is_on_hot_key, double now_s);
  double burst_credit(bool is_write, double now_s) const;  // provisioned: units left to spend

private:
  struct Side {
    ThroughputLimit limit;
    TokenBucket hot_partition;
  };
  Side reads_;
  Side writes_;
};

// Whether the item a request names sits under the hot partition key, which takes `hot_key_share` of
// the requests: decided by the item's key (a job's id, else the request's) and the table's `salt`,
// not by a draw per attempt, so that every attempt of one call, and every call about one job, lands
// on the same partition, as DynamoDB routes by key.
bool is_on_hot_key(std::uint64_t item_key, std::uint64_t salt, double hot_key_share);

}  // namespace archlab
