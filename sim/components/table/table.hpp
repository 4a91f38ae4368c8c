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

#include "sim/components/table/table_capacity.hpp"
#include "sim/components/store_faults.hpp"
#include "sim/core/component.hpp"
#include "sim/core/distribution.hpp"
#include "sim/core/random.hpp"
#include "sim/core/registry.hpp"

#include <array>
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
  struct Attempt {
    Call call;
    TableOperation operation;
    double arrived_s = 0;
  };
  static constexpr std::size_t operation_count = table_operation_count;

  void complete(const Attempt& attempt);
  void next_scan_page(const Attempt& attempt, long pages_read);
  void answer(const Attempt& attempt, const Answer& answer_to_send);
  void note_throttle(bool is_write, Admission why);
  double latency_s(TableOperation operation);
  static std::optional<TableOperation> table_operation(Operation operation);

  World& world_;
  CapacitySettings settings_;
  UnitRules units_;
  TableCapacity capacity_;
  double hot_key_share_;
  std::array<Distribution, operation_count> latency_s_;
  StoreFaults faults_;
  Rng latency_rng_;
  std::uint64_t hot_key_salt_;
  Rng fault_rng_;

  std::uint64_t requests_ = 0;
  std::uint64_t throttled_ = 0;  // attempts
  std::uint64_t throttled_by_partition_ = 0;
  std::uint64_t failed_attempts_ = 0;
  std::uint64_t conditional_check_failed_ = 0;
  std::array<std::uint64_t, operation_count> by_operation_{};
  double read_units_consumed_ = 0;
  double write_units_consumed_ = 0;
  std::optional<double> first_throttle_s_;
  std::array<bool, 4> has_logged_throttle_{};  // reads/writes × table/partition
  bool has_logged_bad_operation_ = false;
};

}  // namespace archlab
