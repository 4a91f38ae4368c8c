#include "sim/components/table/capacity_meter.hpp"

#include "sim/core/world.hpp"

#include <utility>

namespace archlab {

CapacitySettings capacity_settings(const nlohmann::json& params)
{
  return {.mode = params.at("capacity_mode") == "provisioned" ? CapacityMode::provisioned : CapacityMode::on_demand,
          .read_capacity_units = params.at("read_capacity_units").get<double>(),
          .write_capacity_units = params.at("write_capacity_units").get<double>(),
          .burst_window_s = params.at("burst_window_s").get<double>()};
}

CapacityMeter::CapacityMeter(const CapacitySettings& settings, EventLog& log, std::string source_id, std::string partition_ceiling,
                             std::string billing_prefix)
    : settings_(settings),
      log_(log),
      source_id_(std::move(source_id)),
      partition_ceiling_(std::move(partition_ceiling)),
      billing_prefix_(std::move(billing_prefix))
{
}

bool CapacityMeter::record(bool is_write, double units, Admission admission, double now_s)
{
  if (admission != Admission::admitted) {
    note_throttle(is_write, admission, now_s);
    return false;
  }
  consume(is_write, units);
  return true;
}

void CapacityMeter::note_throttle(bool is_write, Admission why, double now_s)
{
  ++(is_write ? write_throttles_ : read_throttles_);
  bool is_partition = why == Admission::over_partition_ceiling;
  throttled_by_partition_ += is_partition;
  if (!first_throttle_s_)
    first_throttle_s_ = now_s;
  auto& logged = has_logged_throttle_[(is_write ? 2 : 0) + (is_partition ? 1 : 0)];
  if (logged)
    return;
  logged = true;
  std::string cause = is_partition ? partition_ceiling_ + " (3,000 RCU / 1,000 WCU per second)"
                      : settings_.mode == CapacityMode::provisioned ? "provisioned capacity and burst credit used up"
                                                                    : "above 2 × the previous peak (on-demand)";
  log_.add(now_s, source_id_, std::string("first throttled ") + (is_write ? "write" : "read") + ": " + cause);
}

void CapacityMeter::add_summary(nlohmann::json& summary, double end_s) const
{
  summary["capacity_mode"] = settings_.mode == CapacityMode::provisioned ? "provisioned" : "on_demand";
  summary["first_throttle_s"] = first_throttle_s_ ? nlohmann::json(*first_throttle_s_) : nlohmann::json();
  summary["read_units_consumed"] = read_units_consumed_;
  summary["write_units_consumed"] = write_units_consumed_;
  if (settings_.mode == CapacityMode::provisioned && end_s > 0) {
    summary["read_utilization"] = read_units_consumed_ / (settings_.read_capacity_units * end_s);
    summary["write_utilization"] = write_units_consumed_ / (settings_.write_capacity_units * end_s);
  }
}

void CapacityMeter::add_billing(std::vector<BillingLine>& billing, double end_s) const
{
  if (settings_.mode == CapacityMode::provisioned) {
    billing.push_back({billing_prefix_ + ".provisioned.rcu_hour", settings_.read_capacity_units * end_s / 3600});
    billing.push_back({billing_prefix_ + ".provisioned.wcu_hour", settings_.write_capacity_units * end_s / 3600});
  } else {
    billing.push_back({billing_prefix_ + ".on_demand.read_unit", read_units_consumed_});
    billing.push_back({billing_prefix_ + ".on_demand.write_unit", write_units_consumed_});
  }
}

}  // namespace archlab
