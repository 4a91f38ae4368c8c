#include "sim/components/wide_column/wide_column.hpp"

#include "sim/components/bucket/bucket_rules.hpp"
#include "sim/core/fault_plan.hpp"
#include "sim/core/key_versions.hpp"
#include "sim/core/number_text.hpp"
#include "sim/core/world.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace archlab {

namespace {

nlohmann::json lognormal_ms(double mean_ms)
{
  return {{"dist", "lognormal"}, {"mean", mean_ms}, {"cv", 0.5}};
}

// The kit's bounds: a scan's pages stay few enough to simulate page by page, and the table's data
// fits an answer's size.
constexpr double max_table_bytes = 1024.0 * 1024 * 1024 * 1024;  // 1 TiB
constexpr double max_scan_pages = 1e7;

void check_wide_column(const nlohmann::json& params, const std::string& path, std::vector<Problem>& problems)
{
  double rows = params.at("rows").get<double>();
  double row_size_bytes = params.at("row_size_bytes").get<double>();
  if (rows * row_size_bytes > max_table_bytes)
    problems.push_back({path + ".rows", "rows × row_size_bytes is " + number_text(rows * row_size_bytes) +
                                            " bytes; the kit simulates tables of at most 1 TiB"});
  else if (table_scan(rows, row_size_bytes, params.at("scan_page_rows").get<double>(), ReadConsistency::local_quorum).pages > max_scan_pages)
    problems.push_back({path + ".scan_page_rows", "a scan would read more than 10,000,000 pages; raise scan_page_rows"});
}

CapacitySettings capacity_settings(const nlohmann::json& params)
{
  return {.mode = params.at("capacity_mode") == "provisioned" ? CapacityMode::provisioned : CapacityMode::on_demand,
          .read_capacity_units = params.at("read_capacity_units").get<double>(),
          .write_capacity_units = params.at("write_capacity_units").get<double>(),
          .burst_window_s = params.at("burst_window_s").get<double>()};
}
}  // namespace

ComponentType WideColumn::type_description()
{
  std::vector<ParamSpec> latency_fields = {
      distribution_param("get", "ms", lognormal_ms(4), "SELECT of one row by its primary key (assumption: AWS claims single-digit ms)"),
      distribution_param("put", "ms", lognormal_ms(5), "INSERT or UPDATE of one row (assumption: AWS claims single-digit ms)"),
      distribution_param("scan", "ms", lognormal_ms(40), "one page of a whole-table SELECT, up to 1 MB (assumption: much slower than a get)"),
  };
  return {
      .name = "wide_column",
      .summary = "a wide-column table of rows in partitions, with capacity units, per-partition ceilings and throttling; scans the whole table at its capacity",
      .aws_counterpart = "Amazon Keyspaces (for Apache Cassandra) table",
      .part_kind = PartKind::table,
      .params =
          {
              choice_param("capacity_mode", {"on_demand", "provisioned"}, "on_demand",
                           "on_demand (AWS default): pay per request unit, up to 2 × the previous peak (a new table: 4,000 writes and 12,000 "
                           "LOCAL_QUORUM reads a second, AWS); provisioned: fixed units per second with burst credit"),
              choice_param("consistency", {"local_quorum", "local_one"}, "local_quorum",
                           "read consistency of get and scan: local_quorum (two of three replicas) costs 1 unit per 4 KB, local_one half "
                           "(AWS); local_quorum: assumption, the safe choice for recovery (Cassandra drivers default to LOCAL_ONE)"),
              integer_param("rows", 1000000,
                            "rows in the table, which a scan reads; a get of key 1..rows finds its row (assumption: 1,000,000, the pixel "
                            "board's one row per pixel, loaded before the run)")
                  .at_least(1),
              number_param("row_size_bytes", "bytes", 100,
                           "size of one row, key and columns (assumption: a pixel's coordinates, colour and time); a read unit covers 4 KB, "
                           "a write unit 1 KB, rounded up (AWS; a row is at most 1 MB)")
                  .above(0)
                  .at_most(1024 * 1024),
              integer_param("rows_per_partition", 1,
                            "rows sharing one partition key: key k's row is in partition (k - 1) / rows_per_partition, and each partition "
                            "serves at most 3,000 RCU and 1,000 WCU a second (AWS); 1 (assumption): every pixel its own partition, 1000: a "
                            "board row per partition")
                  .at_least(1),
              number_param("read_capacity_units", "per s", 5,
                           "provisioned: read units per second (5: assumption; AWS minimum 1, default table quota 40,000)")
                  .at_least(1)
                  .at_most(table_max_units_per_s),
              number_param("write_capacity_units", "per s", 5,
                           "provisioned: write units per second (5: assumption; AWS minimum 1, default table quota 40,000)")
                  .at_least(1)
                  .at_most(table_max_units_per_s),
              number_param("burst_window_s", "s", 300,
                           "provisioned: unused capacity kept as burst credit, up to this many seconds of it (AWS 300 s); a new table starts "
                           "with full credit (assumption)")
                  .at_least(0),
              integer_param("scan_page_rows", 5000,
                            "rows one scan page holds at most, the driver's page size (DataStax drivers' default fetch size: 5,000); a page "
                            "also ends at 1 MB read (AWS)")
                  .at_least(1),
              object_param("latency_ms", latency_fields, "time to answer one attempt of each operation (a scan: each page)"),
          },
      .create = [](const ComponentSetup& setup) -> std::unique_ptr<Component> { return std::make_unique<WideColumn>(setup); },
      .check = check_wide_column,
      .operations = {{.name = "get", .meaning = "SELECT one row by its primary key (the request's key): found, or not_found"},
                     {.name = "put", .meaning = "INSERT or UPDATE one row (the request's key): a write, so cached copies of the key go stale"},
                     {.name = "scan",
                      .meaning = "SELECT * of the whole table, page after page, each page waiting for read capacity rather than "
                                 "throttled: answered once the table is read, with its data size"}},
      .reference_rules = {},
      .check_with_model = {},
      .fault_actions = {"slow", "fail", "recover"},
      .is_managed_multi_zone = true,
      .signals = {{"read_throttles", "attempts", SignalKind::counter, "reads refused for capacity (ReadThrottleEvents)"},
                  {"write_throttles", "attempts", SignalKind::counter, "writes refused for capacity (WriteThrottleEvents)"},
                  {"scan_pages", "pages", SignalKind::counter, "scan pages read"}},
      .callers_default_retry = {},
  };
}

WideColumn::WideColumn(const ComponentSetup& setup)
    : Component(setup, "wide_column"),
      world_(setup.world),
      settings_(capacity_settings(setup.params)),
      consistency_(setup.params.at("consistency") == "local_one" ? ReadConsistency::local_one : ReadConsistency::local_quorum),
      rows_(setup.params.at("rows").get<double>()),
      rows_per_partition_(setup.params.at("rows_per_partition").get<std::uint64_t>()),
      row_size_bytes_(setup.params.at("row_size_bytes").get<double>()),
      scan_page_rows_(setup.params.at("scan_page_rows").get<double>()),
      capacity_(settings_),
      latency_rng_(setup.world.rng(setup.id + "/latency")),
      fault_rng_(setup.world.rng(setup.id + "/faults"))
{
  const auto& latency = setup.params.at("latency_ms");
  for (std::size_t i = 0; i < row_operation_count; ++i)
    latency_s_[i] = setup.world.seconds_of(latency.at(row_operation_names[i]));
}

std::optional<RowOperation> WideColumn::row_operation(Operation operation)
{
  static const Operation operations[row_operation_count] = {Operation::named("get"), Operation::named("put"), Operation::named("scan")};
  for (std::size_t i = 0; i < row_operation_count; ++i)
    if (operations[i] == operation)
      return static_cast<RowOperation>(i);
  return std::nullopt;
}

double WideColumn::latency_s(RowOperation operation)
{
  return latency_s_[static_cast<std::size_t>(operation)].sample(latency_rng_) * faults_.latency_factor;
}

double WideColumn::rows_stored() const
{
  return rows_ + static_cast<double>(rows_added_.size());
}

namespace {
// The row a request is about: its key from the client's key space, or, for a request without one,
// its own id (so keyless requests spread over the table instead of piling on one partition).
std::uint64_t row_key(const Request& request)
{
  return request.key != 0 ? request.key : request.id;
}
}  // namespace

void WideColumn::accept(const Call& call)
{
  double now_s = clock().now();
  stats_.arrive(call.request->is_measured);
  stats_.busy.add(now_s, 1);
  ++requests_;
  auto operation = row_operation(call.operation);
  Attempt attempt{call, operation.value_or(RowOperation::get), now_s};
  if (!operation) {
    if (!has_logged_bad_operation_)
      world_.log().add(now_s, id(), std::string("a wide_column cannot take the operation '") + operation_name(call.operation) +
                                        "': answered failed (logged once)");
    has_logged_bad_operation_ = true;
    answer(attempt, Outcome::failed);
    return;
  }
  ++by_operation_[static_cast<std::size_t>(*operation)];
  if (faults_.failure_probability > 0 && fault_rng_.uniform01() < faults_.failure_probability) {
    ++failed_attempts_;  // a server error consumes no capacity
    clock().after(latency_s(*operation), [this, attempt] { answer(attempt, Outcome::failed); });
    return;
  }
  if (*operation == RowOperation::scan) {
    read_scan_page(attempt, 0);
    return;
  }
  double round_trip_s = latency_s(*operation);
  bool is_write = *operation == RowOperation::put;
  double units = is_write ? row_write_units(row_size_bytes_) : row_read_units(row_size_bytes_, consistency_);
  // The partition is the row's: every retry of a call lands on the same one.
  Admission admission = capacity_.admit(is_write, units, partition_of(row_key(*call.request), rows_per_partition_), now_s);
  if (admission != Admission::admitted) {
    // Refused on arrival; the caller hears it after a round trip.
    note_throttle(is_write, admission);
    clock().after(round_trip_s, [this, attempt] { answer(attempt, Answer(Outcome::rejected, Status::throttled)); });
    return;
  }
  (is_write ? write_units_consumed_ : read_units_consumed_) += units;
  clock().after(round_trip_s, [this, attempt] { complete(attempt); });
}

// The driver asks for the next page (its paging state) as soon as one comes back. A page that does
// not fit the read capacity waits until it does, so the scan reads the table at the rate the
// capacity allows and is never refused: a rebuild paced to its table, as a bulk reader should be.
void WideColumn::read_scan_page(const Attempt& attempt, long pages_read)
{
  auto scan = table_scan(rows_stored(), row_size_bytes_, scan_page_rows_, consistency_);
  double now_s = clock().now();
  if (pages_read >= scan.pages) {
    ++scans_completed_;
    last_scan_s_ = now_s - attempt.arrived_s;
    complete(attempt);
    return;
  }
  double units = pages_read + 1 == scan.pages ? scan.units_last_page : scan.units_per_page;
  if (!capacity_.take_page(units, now_s)) {
    double fits_s = capacity_.page_fits_at_s(units, now_s);
    if (!std::isfinite(fits_s)) {  // a page above a whole second's on-demand ceiling: none is, at 1 MB a page
      world_.log().add(now_s, id(), "a scan page needs more read units than a second allows: scan answered failed");
      answer(attempt, Outcome::failed);
      return;
    }
    ++scan_page_waits_;
    clock().at(std::max(fits_s, now_s + 1e-9), [this, attempt, pages_read] { read_scan_page(attempt, pages_read); });
    return;
  }
  read_units_consumed_ += units;
  ++scan_pages_read_;
  clock().after(latency_s(RowOperation::scan), [this, attempt, pages_read] { read_scan_page(attempt, pages_read + 1); });
}

void WideColumn::note_throttle(bool is_write, Admission why)
{
  ++(is_write ? write_throttles_ : read_throttles_);
  bool is_partition = why == Admission::over_partition_ceiling;
  throttled_by_partition_ += is_partition;
  if (!first_throttle_s_)
    first_throttle_s_ = clock().now();
  auto& logged = has_logged_throttle_[(is_write ? 2 : 0) + (is_partition ? 1 : 0)];
  if (logged)
    return;
  logged = true;
  std::string cause = is_partition ? "a partition's ceiling (3,000 RCU / 1,000 WCU per second)"
                      : settings_.mode == CapacityMode::provisioned ? "provisioned capacity and burst credit used up"
                                                                    : "above 2 × the previous peak (on-demand)";
  world_.log().add(clock().now(), id(), std::string("first throttled ") + (is_write ? "write" : "read") + ": " + cause);
}

void WideColumn::complete(const Attempt& attempt)
{
  const Request& request = *attempt.call.request;
  Answer answer_to_send(Outcome::ok);
  std::uint64_t key = row_key(request);
  switch (attempt.operation) {
    case RowOperation::get: {
      bool is_found = static_cast<double>(key) <= rows_ || rows_added_.contains(key);
      answer_to_send.status = is_found ? Status::found : Status::not_found;
      answer_to_send.size_bytes = is_found ? static_cast<std::uint32_t>(row_size_bytes_) : 0;
      break;
    }
    case RowOperation::put:
      if (static_cast<double>(key) > rows_)
        rows_added_.insert(key);
      key_versions_of(world_).write(request.key);
      break;
    case RowOperation::scan:
      answer_to_send.size_bytes = static_cast<std::uint32_t>(
          std::min(rows_stored() * row_size_bytes_, static_cast<double>(std::numeric_limits<std::uint32_t>::max())));
      break;
  }
  answer(attempt, answer_to_send);
}

void WideColumn::answer(const Attempt& attempt, const Answer& answer_to_send)
{
  double now_s = clock().now();
  bool is_measured = attempt.call.request->is_measured;
  stats_.busy.add(now_s, -1);
  if (answer_to_send.outcome == Outcome::rejected)
    stats_.reject(is_measured);
  else
    stats_.finish(now_s - attempt.arrived_s, answer_to_send.outcome == Outcome::ok, is_measured);
  attempt.call.caller->on_answer(attempt.call, answer_to_send);
}

void WideColumn::apply_fault(const FaultEvent& fault, World& world)
{
  if (fault.target.empty())
    return;  // a zone outage: Keyspaces keeps three copies across the Region's zones and keeps serving
  if (!faults_.apply(fault, world, clock().now(), id(), "a server error"))
    Component::apply_fault(fault, world);
}

// Counted from time 0, warm-up included, like the bill.
std::optional<double> WideColumn::signal(std::string_view name) const
{
  if (name == "read_throttles")
    return static_cast<double>(read_throttles_);
  if (name == "write_throttles")
    return static_cast<double>(write_throttles_);
  if (name == "scan_pages")
    return static_cast<double>(scan_pages_read_);
  return Component::signal(name);
}

void WideColumn::add_summary(nlohmann::json& summary, double end_s) const
{
  nlohmann::json by_operation = nlohmann::json::object();
  for (std::size_t i = 0; i < row_operation_count; ++i)
    by_operation[row_operation_names[i]] = by_operation_[i];
  summary["capacity_mode"] = settings_.mode == CapacityMode::provisioned ? "provisioned" : "on_demand";
  summary["consistency"] = consistency_ == ReadConsistency::local_one ? "local_one" : "local_quorum";
  summary["rows"] = rows_stored();
  summary["partitions"] = std::ceil(rows_stored() / static_cast<double>(rows_per_partition_));
  summary["requests"] = requests_;
  summary["reads"] = by_operation_[static_cast<std::size_t>(RowOperation::get)];
  summary["writes"] = by_operation_[static_cast<std::size_t>(RowOperation::put)];
  summary["scans"] = by_operation_[static_cast<std::size_t>(RowOperation::scan)];
  summary["scans_completed"] = scans_completed_;
  summary["scan_pages_read"] = scan_pages_read_;
  summary["scan_page_waits"] = scan_page_waits_;
  summary["last_scan_s"] = last_scan_s_ ? nlohmann::json(*last_scan_s_) : nlohmann::json();
  summary["read_throttles"] = read_throttles_;
  summary["write_throttles"] = write_throttles_;
  summary["throttled_by_partition"] = throttled_by_partition_;
  summary["first_throttle_s"] = first_throttle_s_ ? nlohmann::json(*first_throttle_s_) : nlohmann::json();
  summary["failed_attempts"] = failed_attempts_;
  summary["by_operation"] = by_operation;
  summary["read_units_consumed"] = read_units_consumed_;
  summary["write_units_consumed"] = write_units_consumed_;
  if (settings_.mode == CapacityMode::provisioned && end_s > 0) {
    summary["read_utilization"] = read_units_consumed_ / (settings_.read_capacity_units * end_s);
    summary["write_utilization"] = write_units_consumed_ / (settings_.write_capacity_units * end_s);
  }
  summary["storage_gb_months"] = storage_gb_months(rows_stored() * row_size_bytes_ * end_s);
}

// Storage is billed on the rows held at the end, for the whole run (rows a run adds are few).
void WideColumn::add_billing(std::vector<BillingLine>& billing, double end_s) const
{
  if (settings_.mode == CapacityMode::provisioned) {
    billing.push_back({"keyspaces.provisioned.rcu_hour", settings_.read_capacity_units * end_s / 3600});
    billing.push_back({"keyspaces.provisioned.wcu_hour", settings_.write_capacity_units * end_s / 3600});
  } else {
    billing.push_back({"keyspaces.on_demand.read_unit", read_units_consumed_});
    billing.push_back({"keyspaces.on_demand.write_unit", write_units_consumed_});
  }
  billing.push_back({"keyspaces.storage.gb_month", storage_gb_months(rows_stored() * row_size_bytes_ * end_s)});
}

}  // namespace archlab
