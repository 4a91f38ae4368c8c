// WideColumn: an Amazon Keyspaces (for Apache Cassandra) table, one row per key. Calls ask for get
// (SELECT a row by its primary key), put (INSERT or UPDATE a row) or scan (SELECT the whole table,
// page after page). Each consumes capacity units (wide_column_rules.hpp, on table's machinery) and is
// answered once, after its latency: ok, rejected with status throttled when the table's capacity or
// the row's partition ceiling is used up (Keyspaces answers a Cassandra ReadTimeout, WriteTimeout or
// ServerError and counts ReadThrottleEvents or WriteThrottleEvents), failed on an injected error. A
// scan never is throttled: its pages wait for the capacity, so it answers once the whole table has
// been read at the rate the capacity allows, with the table's data size. Retries are the caller's
// (a call's own `retry`); a Cassandra driver's default policy does not retry a write.
#pragma once

#include "sim/components/store_faults.hpp"
#include "sim/components/table/capacity_meter.hpp"
#include "sim/components/table/store_calls.hpp"
#include "sim/components/wide_column/wide_column_rules.hpp"
#include "sim/core/component.hpp"
#include "sim/core/random.hpp"
#include "sim/core/registry.hpp"

#include <cstdint>
#include <optional>
#include <unordered_set>

namespace archlab {

class WideColumn final : public Component {
public:
  explicit WideColumn(const ComponentSetup& setup);
  static ComponentType type_description();

  void accept(const Call& call) override;
  void apply_fault(const FaultEvent& fault, World& world) override;
  void add_summary(nlohmann::json& summary, double end_s) const override;
  std::optional<double> signal(std::string_view name) const override;
  void add_billing(std::vector<BillingLine>& billing, double end_s) const override;

private:
  using Attempt = StoreAttempt<RowOperation>;

  void read_scan_page(const Attempt& attempt, long pages_read);
  void complete(const Attempt& attempt);
  void answer(const Attempt& attempt, const Answer& answer_to_send);
  double latency_s(RowOperation operation);
  double rows_stored() const;

  World& world_;
  CapacityMeter meter_;
  ReadConsistency consistency_;
  double rows_;
  std::uint64_t rows_per_partition_;
  double row_size_bytes_;
  double scan_page_rows_;
  KeyspacesCapacity capacity_;
  StoreCalls<RowOperation, row_operation_count> calls_;
  OperationLatencies<row_operation_count> latencies_;
  StoreFaults faults_;
  Rng latency_rng_;
  Rng fault_rng_;
  std::unordered_set<std::uint64_t> rows_added_;  // keys beyond 1..rows that a put wrote

  std::uint64_t failed_attempts_ = 0;
  std::uint64_t scans_completed_ = 0;
  std::uint64_t scan_pages_read_ = 0;
  std::uint64_t scan_page_waits_ = 0;  // pages that waited for read capacity
  std::optional<double> last_scan_s_;  // how long the last complete scan took
};

}  // namespace archlab
