#include "sim/components/table/table_capacity.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace archlab {

bool is_read_operation(TableOperation operation)
{
  return operation == TableOperation::get || operation == TableOperation::query || operation == TableOperation::scan;
}

bool is_write_operation(TableOperation operation)
{
  return operation == TableOperation::put || operation == TableOperation::update;
}

double read_units(double size_bytes, bool is_consistent)
{
  // An empty result still costs a unit: AWS rounds every read up to the next 4 KB.
  double blocks = std::max(1.0, std::ceil(size_bytes / 4096.0));
  return blocks * (is_consistent ? 1.0 : 0.5);
}

double write_units(double size_bytes)
{
  return std::max(1.0, std::ceil(size_bytes / 1024.0));
}

namespace {
// A Query or Scan call reads at most 1 MB (AWS): with large items, a page holds fewer of them.
double page_bytes(double item_size_bytes, int items)
{
  return std::max(item_size_bytes, std::min(item_size_bytes * items, 1024.0 * 1024.0));
}
}  // namespace

double units_for(TableOperation operation, const UnitRules& rules)
{
  switch (operation) {
    case TableOperation::get: return read_units(rules.item_size_bytes, rules.is_consistent_read);
    case TableOperation::query: return read_units(page_bytes(rules.item_size_bytes, rules.query_items), rules.is_consistent_read);
    case TableOperation::scan: return scan_pages(rules).units_per_page;
    case TableOperation::put:
    case TableOperation::update: return write_units(rules.item_size_bytes);
  }
  return 0;
}

ScanPages scan_pages(const UnitRules& rules)
{
  constexpr double page_limit_bytes = 1024.0 * 1024.0;
  double items_per_page = std::max(1.0, std::floor(page_limit_bytes / rules.item_size_bytes));
  if (rules.page_items > 0)
    items_per_page = std::min(items_per_page, std::max(1.0, std::floor(rules.page_items)));
  double items = std::max(1.0, rules.item_count);
  ScanPages scan;
  scan.pages = static_cast<long>(std::ceil(items / items_per_page));
  double last_page_items = items - items_per_page * static_cast<double>(scan.pages - 1);
  scan.units_per_page = read_units(rules.item_size_bytes * std::min(items, items_per_page), rules.is_consistent_read);
  scan.units_last_page = read_units(rules.item_size_bytes * last_page_items, rules.is_consistent_read);
  return scan;
}

OnDemandLimit::OnDemandLimit(double initial_ceiling_per_s, double settle_s, double max_per_s)
    : initial_peak_per_s_(initial_ceiling_per_s / 2),
      settle_seconds_(static_cast<std::int64_t>(std::ceil(settle_s))),
      max_per_s_(max_per_s)
{
}

void OnDemandLimit::advance(double now_s)
{
  auto index = static_cast<std::int64_t>(std::floor(now_s));
  if (index > current_index_) {
    if (current_units_ > 0)
      recent_.push_back({current_index_, current_units_});
    current_index_ = index;
    current_units_ = 0;
  }
  while (!recent_.empty() && recent_.front().index <= current_index_ - settle_seconds_) {
    settled_peak_per_s_ = std::max(settled_peak_per_s_, recent_.front().units);
    recent_.pop_front();
  }
}

double OnDemandLimit::previous_peak_per_s(double now_s)
{
  advance(now_s);
  return std::max(initial_peak_per_s_, settled_peak_per_s_);
}

double OnDemandLimit::ceiling_per_s(double now_s)
{
  return std::min(max_per_s_, 2 * previous_peak_per_s(now_s));
}

bool OnDemandLimit::try_consume(double units, double now_s)
{
  double ceiling = ceiling_per_s(now_s);  // first: it moves on to now_s's second
  if (current_units_ + units > ceiling + 1e-9)
    return false;
  current_units_ += units;
  return true;
}

double OnDemandLimit::next_fit_s(double units, double now_s)
{
  double ceiling = ceiling_per_s(now_s);
  if (current_units_ + units <= ceiling + 1e-9)
    return now_s;
  if (units > ceiling + 1e-9)
    return std::numeric_limits<double>::infinity();  // (the ceiling only grows; the caller may ask again)
  return std::floor(now_s) + 1;
}

namespace {
TokenBucket provisioned_bucket(double units_per_s, double burst_window_s)
{
  // The bucket holds the credit; at least one second's capacity, so a window of 0 means a plain
  // per-second limit. It starts full: a new table has had no chance to use its capacity yet
  // (assumption; AWS does not say how a table's burst credit starts).
  double capacity = units_per_s * std::max(1.0, burst_window_s);
  return TokenBucket(units_per_s, capacity, capacity);
}
}  // namespace

ThroughputLimit::ThroughputLimit(CapacityMode mode, double provisioned_units_per_s, double burst_window_s,
                                 double on_demand_initial_ceiling_per_s, double on_demand_settle_s)
    : mode_(mode),
      provisioned_(provisioned_bucket(provisioned_units_per_s, burst_window_s)),
      on_demand_(on_demand_initial_ceiling_per_s, on_demand_settle_s, table_max_units_per_s)
{
}

bool ThroughputLimit::try_consume(double units, double now_s)
{
  return mode_ == CapacityMode::provisioned ? provisioned_.try_take(units, now_s) : on_demand_.try_consume(units, now_s);
}

double ThroughputLimit::burst_credit(double now_s) const
{
  return provisioned_.tokens(now_s);
}

double ThroughputLimit::next_fit_s(double units, double now_s)
{
  if (mode_ == CapacityMode::on_demand)
    return on_demand_.next_fit_s(units, now_s);
  double missing = std::min(units, provisioned_.capacity()) - provisioned_.tokens(now_s);
  return missing <= 1e-9 ? now_s : now_s + missing / provisioned_.rate_per_s();
}

bool ThroughputLimit::try_consume_paced(double units, double now_s)
{
  if (mode_ == CapacityMode::provisioned && units > provisioned_.capacity() && provisioned_.has(provisioned_.capacity(), now_s)) {
    provisioned_.take(units, now_s);
    return true;
  }
  return try_consume(units, now_s);
}

TableCapacity::TableCapacity(const CapacitySettings& settings)
{
  reads_.limit = ThroughputLimit(settings.mode, settings.read_capacity_units, settings.burst_window_s, 12000, settings.on_demand_settle_s);
  writes_.limit = ThroughputLimit(settings.mode, settings.write_capacity_units, settings.burst_window_s, 4000, settings.on_demand_settle_s);
  reads_.hot_partition = TokenBucket(partition_read_units_per_s, partition_read_units_per_s, partition_read_units_per_s);
  writes_.hot_partition = TokenBucket(partition_write_units_per_s, partition_write_units_per_s, partition_write_units_per_s);
}

Admission TableCapacity::admit(bool is_write, double units, bool is_on_hot_key, double now_s)
{
  Side& side = is_write ? writes_ : reads_;
  if (is_on_hot_key && !side.hot_partition.has(units, now_s))
    return Admission::over_partition_ceiling;
  if (!side.limit.try_consume(units, now_s))
    return Admission::over_table_capacity;
  if (is_on_hot_key)
    side.hot_partition.take(units, now_s);
  return Admission::admitted;
}

double TableCapacity::burst_credit(bool is_write, double now_s) const
{
  return (is_write ? writes_ : reads_).limit.burst_credit(now_s);
}

bool is_on_hot_key(std::uint64_t item_key, std::uint64_t salt, double hot_key_share)
{
  if (hot_key_share <= 0)
    return false;
  // splitmix64's finaliser: neighbouring keys (request ids count up) spread over [0, 1) evenly.
  std::uint64_t mixed = item_key + salt + 0x9E3779B97F4A7C15ull;
  mixed = (mixed ^ (mixed >> 30)) * 0xBF58476D1CE4E5B9ull;
  mixed = (mixed ^ (mixed >> 27)) * 0x94D049BB133111EBull;
  mixed ^= mixed >> 31;
  return static_cast<double>(mixed >> 11) * 0x1.0p-53 < hot_key_share;
}

}  // namespace archlab
