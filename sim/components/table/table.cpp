#include "sim/components/table/table.hpp"

#include "sim/core/call_policy.hpp"
#include "sim/core/fault_plan.hpp"
#include "sim/core/key_versions.hpp"
#include "sim/core/world.hpp"
#include "sim/jobs/job_ledger.hpp"

#include <cstdio>

namespace archlab {

namespace {

nlohmann::json lognormal_ms(double mean_ms)
{
  return {{"dist", "lognormal"}, {"mean", mean_ms}, {"cv", 0.5}};
}

std::vector<ParamSpec> write_arguments()
{
  return {boolean_param("conditional", false, "put or update: only if the job has no result yet (a conditional write)")};
}

std::shared_ptr<const CallArguments> read_write_arguments(const nlohmann::json& call)
{
  auto arguments = std::make_shared<WriteArguments>();
  arguments->is_conditional = call.value("conditional", false);
  return arguments;
}

void check_table(const nlohmann::json& params, const std::string& path, std::vector<Problem>& problems)
{
  if (params.at("sdk_max_backoff_ms").get<double>() < params.at("sdk_base_backoff_ms").get<double>())
    problems.push_back({path + ".sdk_max_backoff_ms", "must be at least sdk_base_backoff_ms"});
}

// The SDK lives in the caller (AWS SDKs and Tools Reference Guide, "Retry behavior"); the table's
// sdk_* parameters say which SDK settings its callers run with, so that a model written when the
// table retried by itself keeps its meaning.
nlohmann::json callers_sdk_retry(const nlohmann::json& params)
{
  return sdk_standard_retry(params.at("sdk_max_attempts").get<int>(), params.at("sdk_base_backoff_ms").get<double>(),
                            params.at("sdk_max_backoff_ms").get<double>());
}
}  // namespace

ComponentType Table::type_description()
{
  std::vector<ParamSpec> latency_fields = {
      distribution_param("get", "ms", lognormal_ms(3), "GetItem (assumption: AWS claims single-digit ms)"),
      distribution_param("put", "ms", lognormal_ms(5), "PutItem (assumption: AWS claims single-digit ms)"),
      distribution_param("update", "ms", lognormal_ms(5), "UpdateItem (assumption: AWS claims single-digit ms)"),
      distribution_param("query", "ms", lognormal_ms(6), "Query, one page (assumption)"),
      distribution_param("scan", "ms", lognormal_ms(40), "Scan, one page of up to 1 MB (assumption: much slower than a get)"),
  };
  return {
      .name = "table",
      .summary = "a key-value table with capacity units and throttling, retried by its callers' SDK; item state is the job ledger",
      .aws_counterpart = "Amazon DynamoDB table",
      .part_kind = PartKind::table,
      .params =
          {
              choice_param("capacity_mode", {"on_demand", "provisioned"}, "on_demand",
                           "on_demand: pay per request, up to 2 × the previous peak; provisioned: fixed units per second with burst credit"),
              number_param("item_size_bytes", "bytes", 1024,
                           "size of one item: a read unit covers 4 KB, a write unit 1 KB, rounded up (AWS; items are at most 400 KB)")
                  .above(0)
                  .at_most(400 * 1024),
              boolean_param("consistent_reads", false,
                            "strongly consistent reads cost 1 unit per 4 KB instead of 0.5 (AWS default: eventually consistent)"),
              integer_param("query_items", 1, "items one query returns; their sizes are summed before rounding up, at most 1 MB a call (AWS; 1: assumption)").at_least(1),
              number_param("item_count", "items", 1000,
                           "items in the table, which a scan reads page by page, 1 MB a page (assumption: 1,000; at most 100 million, "
                           "the kit's bound on one scan's pages)").at_least(1).at_most(1e8),
              number_param("read_capacity_units", "per s", 5,
                           "provisioned: read units per second (5: the console's default for a new table, assumption; AWS quota 40,000)")
                  .above(0)
                  .at_most(table_max_units_per_s),
              number_param("write_capacity_units", "per s", 5,
                           "provisioned: write units per second (5: the console's default for a new table, assumption; AWS quota 40,000)")
                  .above(0)
                  .at_most(table_max_units_per_s),
              number_param("burst_window_s", "s", 300,
                           "provisioned: unused capacity kept as burst credit, up to this many seconds of it (AWS 300 s); a new table starts with full credit (assumption)")
                  .at_least(0),
              number_param("hot_key_share", "", 0,
                           "share of requests on one partition key, which one partition serves within 3,000 RCU and 1,000 WCU per second (AWS); 0: spread evenly")
                  .at_least(0)
                  .at_most(1),
              object_param("latency_ms", latency_fields, "time to answer one attempt of each operation"),
              integer_param("sdk_max_attempts", 3,
                            "attempts in all the callers' AWS SDK makes on a call to this table that sets no retry of its own: the "
                            "standard retry mode, full jitter, with its retry quota (budget sdk_standard; AWS: 3 attempts); a call's own "
                            "retry replaces it")
                  .at_least(1)
                  .at_most(100),
              number_param("sdk_base_backoff_ms", "ms", 50,
                           "the SDK's backoff before its first retry, doubling each time, full jitter (AWS: about 50, 100, 200 ms)")
                  .above(0),
              number_param("sdk_max_backoff_ms", "ms", 20000, "cap on one SDK backoff (AWS SDK standard retry mode: 20 s)").above(0),
          },
      .create = [](const ComponentSetup& setup) -> std::unique_ptr<Component> { return std::make_unique<Table>(setup); },
      .check = check_table,
      .operations = {{.name = "get", .meaning = "GetItem: the job's item, or none"},
                     {.name = "put", .meaning = "PutItem", .arguments = write_arguments(), .read_arguments = read_write_arguments},
                     {.name = "update", .meaning = "UpdateItem", .arguments = write_arguments(), .read_arguments = read_write_arguments},
                     {.name = "query", .meaning = "Query: query_items items of one partition key"},
                     {.name = "scan", .meaning = "Scan: the whole table (a Scan with a filter, paginated to its end), page after page of 1 MB, each page's latency and read units its own"}},
      .reference_rules = {},
      .check_with_model = {},
      .fault_actions = {"slow", "fail", "recover"},
      .is_managed_multi_zone = true,
      .signals = {{"throttled", "attempts", SignalKind::counter, "attempts refused for capacity (ThrottledRequests)"}},
      .callers_default_retry = callers_sdk_retry,
  };
}

Table::Table(const ComponentSetup& setup)
    : Component(setup, "table"),
      world_(setup.world),
      meter_(capacity_settings(setup.params), setup.world.log(), setup.id, "the hot partition's ceiling", "dynamodb"),
      units_{.item_size_bytes = setup.params.at("item_size_bytes").get<double>(),
             .is_consistent_read = setup.params.at("consistent_reads").get<bool>(),
             .query_items = setup.params.at("query_items").get<int>(),
             .item_count = setup.params.at("item_count").get<double>()},
      capacity_(meter_.settings()),
      hot_key_share_(setup.params.at("hot_key_share").get<double>()),
      calls_(table_operation_names, "table"),
      latencies_(setup.world, setup.params.at("latency_ms"), table_operation_names),
      latency_rng_(setup.world.rng(setup.id + "/latency")),
      hot_key_salt_(setup.world.rng(setup.id + "/hot_key").next_u64()),
      fault_rng_(setup.world.rng(setup.id + "/faults"))
{}

double Table::latency_s(TableOperation operation)
{
  return latencies_.sample_s(operation, latency_rng_, faults_.latency_factor);
}

void Table::accept(const Call& call)
{
  double now_s = clock().now();
  auto operation = calls_.arrive(stats_, call, now_s, world_.log(), id());
  Attempt attempt{call, operation.value_or(TableOperation::get), now_s};
  if (!operation) {
    answer(attempt, Outcome::failed);
    return;
  }
  double round_trip_s = latency_s(*operation);
  if (faults_.failure_probability > 0 && fault_rng_.uniform01() < faults_.failure_probability) {
    ++failed_attempts_;  // an internal error (HTTP 500) consumes no capacity
    clock().after(round_trip_s, [this, attempt] { answer(attempt, Outcome::failed); });
    return;
  }
  // The partition is the item's: every retry of a call lands on the same one.
  const Request& request = *call.request;
  bool is_hot = is_on_hot_key(request.job != 0 ? request.job : request.id, hot_key_salt_, hot_key_share_);
  bool is_write = is_write_operation(*operation);
  double units = units_for(*operation, units_);
  if (!meter_.record(is_write, units, capacity_.admit(is_write, units, is_hot, now_s), now_s)) {
    // The refusal is decided on arrival but reaches the caller only after a round trip.
    clock().after(round_trip_s, [this, attempt] { answer(attempt, Answer(Outcome::rejected, Status::throttled)); });
    return;
  }
  if (*operation == TableOperation::scan) {
    clock().after(round_trip_s, [this, attempt] { next_scan_page(attempt, 1); });
    return;
  }
  clock().after(round_trip_s, [this, attempt] { complete(attempt); });
}

// The caller's paginator asks for the next page as soon as one comes back (ExclusiveStartKey); a
// page refused for capacity ends the call throttled, and the caller's retry starts the scan again
// (a simplification: an SDK paginator retries the page, not the scan).
void Table::next_scan_page(const Attempt& attempt, long pages_read)
{
  auto scan = scan_pages(units_);
  if (pages_read >= scan.pages) {
    complete(attempt);
    return;
  }
  double units = pages_read + 1 == scan.pages ? scan.units_last_page : scan.units_per_page;
  double now_s = clock().now();
  double round_trip_s = latency_s(TableOperation::scan);
  if (!meter_.record(false, units, capacity_.admit(false, units, false, now_s), now_s)) {
    clock().after(round_trip_s, [this, attempt] { answer(attempt, Answer(Outcome::rejected, Status::throttled)); });
    return;
  }
  clock().after(round_trip_s, [this, attempt, pages_read] { next_scan_page(attempt, pages_read + 1); });
}

// The item is read when the answer leaves: a worker that marks its result as it gets its own
// answer is seen by every later read or conditional write, as DynamoDB's atomic conditions are.
void Table::complete(const Attempt& attempt)
{
  const Request& request = *attempt.call.request;
  Answer answer_to_send(Outcome::ok);
  if (request.job != 0) {
    const auto* write = attempt.call.arguments_as<WriteArguments>();
    bool is_conditional = write && write->is_conditional && is_write_operation(attempt.operation);
    if (is_read_operation(attempt.operation) || is_conditional) {
      JobState state = jobs_of(world_).state(request.job);
      answer_to_send.status = state == JobState::unknown ? Status::not_found : Status::found;
      answer_to_send.item_state = static_cast<std::uint8_t>(state);
    }
    // ConditionalCheckFailedException: nothing written, the write units are spent all the same.
    if (is_conditional && is_finished(job_state_of(answer_to_send.item_state))) {
      answer_to_send.status = Status::condition_failed;
      ++conditional_check_failed_;
    }
  }
  if (is_write_operation(attempt.operation) && answer_to_send.status != Status::condition_failed)
    key_versions_of(world_).write(request.key);
  answer(attempt, answer_to_send);
}

void Table::answer(const Attempt& attempt, const Answer& answer_to_send)
{
  send_answer(stats_, attempt.call, attempt.arrived_s, clock().now(), answer_to_send);
}

void Table::apply_fault(const FaultEvent& fault, World& world)
{
  if (fault.target.empty())
    return;  // a zone outage: DynamoDB is regional and keeps serving
  if (!faults_.apply(fault, world, clock().now(), id(), "HTTP 500"))
    Component::apply_fault(fault, world);
}

// Counted from time 0, warm-up included, like the bill (the standard columns start after the warm-up).
std::optional<double> Table::signal(std::string_view name) const
{
  if (name == "throttled")
    return static_cast<double>(meter_.read_throttles() + meter_.write_throttles());
  return Component::signal(name);
}

void Table::add_summary(nlohmann::json& summary, double end_s) const
{
  meter_.add_summary(summary, end_s);
  summary["requests"] = calls_.requests();
  summary["throttled"] = meter_.read_throttles() + meter_.write_throttles();
  summary["throttled_by_hot_partition"] = meter_.throttled_by_partition();
  summary["failed_attempts"] = failed_attempts_;
  summary["by_operation"] = calls_.by_operation();
  summary["conditional_check_failed"] = conditional_check_failed_;
}

void Table::add_billing(std::vector<BillingLine>& billing, double end_s) const
{
  meter_.add_billing(billing, end_s);
}

}  // namespace archlab
