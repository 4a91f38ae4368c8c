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
      meter_(capacity_settings(setup.params), setup.world.log(), setup.id, "a partition's ceiling", "keyspaces"),
      consistency_(setup.params.at("consistency") == "local_one" ? ReadConsistency::local_one : ReadConsistency::local_quorum),
      rows_(setup.params.at("rows").get<double>()),
      rows_per_partition_(setup.params.at("rows_per_partition").get<std::uint64_t>()),
      row_size_bytes_(setup.params.at("row_size_bytes").get<double>()),
      scan_page_rows_(setup.params.at("scan_page_rows").get<double>()),
      capacity_(meter_.settings()),
      calls_(row_operation_names, "wide_column"),
      latencies_(setup.world, setup.params.at("latency_ms"), row_operation_names),
      latency_rng_(setup.world.rng(setup.id + "/latency")),
      fault_rng_(setup.world.rng(setup.id + "/faults"))
{}

double WideColumn::latency_s(RowOperation operation)
{
  return latencies_.sample_s(operation, latency_rng_, faults_.latency_factor);
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
  auto operation = calls_.arrive(stats_, call, now_s, world_.log(), id());
  Attempt attempt{call, operation.value_or(RowOperation::get), now_s};
  if (!operation) {
    answer(attempt, Outcome::failed);
    return;
  }
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
  if (!meter_.record(is_write, units, admission, now_s)) {
    // Refused on arrival; the caller hears it after a round trip.
    clock().after(round_trip_s, [this, attempt] { answer(attempt, Answer(Outcome::rejected, Status::throttled)); });
    return;
  }
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
  meter_.consume(false, units);
  ++scan_pages_read_;
  clock().after(latency_s(RowOperation::scan), [this, attempt, pages_read] { read_scan_page(attempt, pages_read + 1); });
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
  send_answer(stats_, attempt.call, attempt.arrived_s, clock().now(), answer_to_send);
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
    return static_cast<double>(meter_.read_throttles());
  if (name == "write_throttles")
    return static_cast<double>(meter_.write_throttles());
  if (name == "scan_pages")
    return static_cast<double>(scan_pages_read_);
  return Component::signal(name);
}

void WideColumn::add_summary(nlohmann::json& summary, double end_s) const
{
  meter_.add_summary(summary, end_s);
  summary["consistency"] = consistency_ == ReadConsistency::local_one ? "local_one" : "local_quorum";
  summary["rows"] = rows_stored();
  summary["partitions"] = std::ceil(rows_stored() / static_cast<double>(rows_per_partition_));
  summary["requests"] = calls_.requests();
  summary["reads"] = calls_.count_of(RowOperation::get);
  summary["writes"] = calls_.count_of(RowOperation::put);
  summary["scans"] = calls_.count_of(RowOperation::scan);
  summary["scans_completed"] = scans_completed_;
  summary["scan_pages_read"] = scan_pages_read_;
  summary["scan_page_waits"] = scan_page_waits_;
  summary["last_scan_s"] = last_scan_s_ ? nlohmann::json(*last_scan_s_) : nlohmann::json();
  summary["read_throttles"] = meter_.read_throttles();
  summary["write_throttles"] = meter_.write_throttles();
  summary["throttled_by_partition"] = meter_.throttled_by_partition();
  summary["failed_attempts"] = failed_attempts_;
  summary["by_operation"] = calls_.by_operation();
  summary["storage_gb_months"] = storage_gb_months(rows_stored() * row_size_bytes_ * end_s);
}

// Storage is billed on the rows held at the end, for the whole run (rows a run adds are few).
void WideColumn::add_billing(std::vector<BillingLine>& billing, double end_s) const
{
  meter_.add_billing(billing, end_s);
  billing.push_back({"keyspaces.storage.gb_month", storage_gb_months(rows_stored() * row_size_bytes_ * end_s)});
}

}  // namespace archlab
