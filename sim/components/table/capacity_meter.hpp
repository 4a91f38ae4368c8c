// The capacity bookkeeping a DynamoDB table and a Keyspaces table (wide_column) keep alike: units
// consumed, throttles by side and cause with the first of each logged once, the summary's capacity
// fields and the bill in its mode. One place, so that the two stores cannot drift apart in how they
// count, log or bill.
#pragma once

#include "sim/components/table/table_capacity.hpp"
#include "sim/core/component.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <string>

namespace archlab {

class EventLog;

// capacity_mode, read_/write_capacity_units and burst_window_s, as both stores' params name them.
CapacitySettings capacity_settings(const nlohmann::json& params);

class CapacityMeter {
public:
  // partition_ceiling: how the log names a partition's ceiling; billing_prefix: the price table's
  // service ("dynamodb", "keyspaces").
  CapacityMeter(const CapacitySettings& settings, EventLog& log, std::string source_id, std::string partition_ceiling,
                std::string billing_prefix);

  const CapacitySettings& settings() const { return settings_; }
  // An admitted attempt's units are consumed; a refused one is counted as a throttle. True: admitted.
  bool record(bool is_write, double units, Admission admission, double now_s);
  void consume(bool is_write, double units) { (is_write ? write_units_consumed_ : read_units_consumed_) += units; }

  std::uint64_t read_throttles() const { return read_throttles_; }
  std::uint64_t write_throttles() const { return write_throttles_; }
  std::uint64_t throttled_by_partition() const { return throttled_by_partition_; }

  // capacity_mode, first_throttle_s, the units consumed and, provisioned, their utilization.
  void add_summary(nlohmann::json& summary, double end_s) const;
  void add_billing(std::vector<BillingLine>& billing, double end_s) const;

private:
  void note_throttle(bool is_write, Admission why, double now_s);

  CapacitySettings settings_;
  EventLog& log_;
  std::string source_id_;
  std::string partition_ceiling_;
  std::string billing_prefix_;
  std::uint64_t read_throttles_ = 0;
  std::uint64_t write_throttles_ = 0;
  std::uint64_t throttled_by_partition_ = 0;
  double read_units_consumed_ = 0;
  double write_units_consumed_ = 0;
  std::optional<double> first_throttle_s_;
  std::array<bool, 4> has_logged_throttle_{};  // reads/writes × table/partition
};

}  // namespace archlab
