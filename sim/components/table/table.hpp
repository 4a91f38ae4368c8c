// Table: an Amazon DynamoDB table. Calls ask for get, put, update, query or scan (the whole table,
// page after page); each one is one attempt of the caller's SDK, consumes capacity units (table_capacity.hpp decides whether it fits)
// and is answered once, after the operation's latency: ok, rejected with status throttled
// (ProvisionedThroughputExceeded), failed on an internal error (HTTP 500). The SDK's retries run in
// the caller, as in AWS: a call site to a table without a retry of its own gets the SDK's standard
// retry from the table's sdk_* parameters (callers_default_retry). The job ledger stands in for the
// items: a read answers `found` with the job's state as the item's
// state (or `not_found`), a conditional write on a finished job answers `condition_failed`; the
// table never writes the ledger (the worker that wrote the item does).
#pragma once

#include "sim/components/table/capacity_meter.hpp"
#include "sim/components/table/store_calls.hpp"
#include "sim/components/table/table_capacity.hpp"
#include "sim/components/store_faults.hpp"
#include "sim/core/component.hpp"
#include "sim/core/random.hpp"
#include "sim/core/registry.hpp"

#include <cstdint>
#include <optional>

namespace archlab {

// The arguments of `put` and `update` at one call site: a conditional write (only if the job has
// no result yet).
struct WriteArguments final : CallArguments {
  bool is_conditional = false;
};

class Table final : public Component {
public:
  explicit Table(const ComponentSetup& setup);
  static ComponentType type_description();

  void accept(const Call& call) override;
  void apply_fault(const FaultEvent& fault, World& world) override;
  void add_summary(nlohmann::json& summary, double end_s) const override;
  std::optional<double> signal(std::string_view name) const override;
  void add_billing(std::vector<BillingLine>& billing, double end_s) const override;

private:
  using Attempt = StoreAttempt<TableOperation>;
  static constexpr std::size_t operation_count = table_operation_count;

  void complete(const Attempt& attempt);
  void next_scan_page(const Attempt& attempt, long pages_read);
  void answer(const Attempt& attempt, const Answer& answer_to_send);
  double latency_s(TableOperation operation);

  World& world_;
  CapacityMeter meter_;
  UnitRules units_;
  TableCapacity capacity_;
  double hot_key_share_;
  StoreCalls<TableOperation, operation_count> calls_;
  OperationLatencies<operation_count> latencies_;
  StoreFaults faults_;
  Rng latency_rng_;
  std::uint64_t hot_key_salt_;
  Rng fault_rng_;

  std::uint64_t failed_attempts_ = 0;
  std::uint64_t conditional_check_failed_ = 0;
};

}  // namespace archlab
