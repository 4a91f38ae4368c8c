// The function's parameters and their checks, its set-up, figures and bill.
#include "sim/components/function/function.hpp"

#include "sim/core/call_policy.hpp"
#include "sim/core/fault_plan.hpp"
#include "sim/core/json_io.hpp"
#include "sim/core/world.hpp"

#include <algorithm>
#include <stdexcept>

namespace archlab {

namespace {
constexpr int min_unreserved_concurrency = 100;  // AWS keeps at least this much of the account unreserved

std::vector<ParamSpec> handler_call_fields()
{
  std::vector<ParamSpec> fields = {
      reference_param("target", Interaction::sync_call, "component the handler calls, waiting for its answer").required(),
      number_param("probability", "", 1, "chance that an invocation makes this call").at_least(0).at_most(1),
      operation_param("what the call asks of its target: one its type declares (request, a queue's send, a table's get or put, "
                      "...); that operation's arguments go beside it"),
  };
  for (auto& policy_field : call_policy_fields())
    fields.push_back(std::move(policy_field));
  return fields;
}

void check_function(const nlohmann::json& params, const std::string& path, std::vector<Problem>& problems)
{
  auto calls = params.value("calls", nlohmann::json::array());
  for (std::size_t i = 0; i < calls.size(); ++i)
    check_call_policy(calls[i], path + ".calls[" + std::to_string(i) + "]", problems);
  int provisioned = params.at("provisioned_concurrency").get<int>();
  if (params.contains("reserved_concurrency") && provisioned > params.at("reserved_concurrency").get<int>())
    problems.push_back({join_path(path, "provisioned_concurrency"), "is more than reserved_concurrency (AWS counts provisioned "
                                                                    "environments against the reservation)"});
}

// The account is one for the model: every function names the same limit, and what they reserve leaves
// at least 100 unreserved (AWS).
void check_account(const nlohmann::json& params, const std::string& path, const nlohmann::json& document, std::vector<Problem>& problems)
{
  int limit = params.at("account_concurrency_limit").get<int>();
  int reserved_total = 0;
  int unreserved_provisioned = 0;
  for (const auto& [id, component] : document.at("components").items()) {
    if (component.value("type", "") != "function")
      continue;
    if (component.value("account_concurrency_limit", 1000) != limit) {
      problems.push_back({join_path(path, "account_concurrency_limit"),
                          "differs from that of function '" + id + "': the functions of a model share one account"});
      return;
    }
    if (component.contains("reserved_concurrency") && !component.at("reserved_concurrency").is_null())
      reserved_total += component.at("reserved_concurrency").get<int>();
    else
      unreserved_provisioned += component.value("provisioned_concurrency", 0);
  }
  if (reserved_total > limit - min_unreserved_concurrency)
    problems.push_back({join_path(path, "reserved_concurrency"), "the functions reserve " + std::to_string(reserved_total) + " of an account limit of " +
                                                                 std::to_string(limit) + "; AWS keeps at least 100 unreserved"});
  else if (unreserved_provisioned > limit - reserved_total)
    problems.push_back({join_path(path, "provisioned_concurrency"), "the functions without reserved concurrency provision " +
                                                                    std::to_string(unreserved_provisioned) + ", more than the " +
                                                                    std::to_string(limit - reserved_total) + " the account leaves unreserved"});
}

}  // namespace

ComponentType Function::type_description()
{
  return {
      .name = "function",
      .summary = "a serverless function: execution environments started on demand (cold starts), concurrency and scaling-rate "
                 "limits with throttling, timeouts, synchronous and asynchronous invokes with retries",
      .aws_counterpart = "AWS Lambda (a function, on-demand and provisioned concurrency)",
      .part_kind = PartKind::function,
      .params =
          {
              integer_param("memory_mb", 128, "memory of an environment (AWS 128..10,240 MB); the CPU share is memory_mb / 1,769 "
                                              "of a vCPU, and the bill is in GB-s").at_least(128).at_most(10240),
              number_param("timeout_s", "s", 3, "an invocation running longer is stopped, counted as timed out, and its environment "
                                                "reset (AWS default 3 s, at most 900 s)").above(0).at_most(900),
              distribution_param("work_ms", "ms", nlohmann::json{{"dist", "exponential"}, {"mean", 100}},
                                 "wall time of an invocation's own work that does not depend on the CPU share (waiting, I/O)"),
              distribution_param("cpu_ms", "ms", nullptr, "CPU work of an invocation, in ms of one vCPU, run single-threaded on "
                                                          "its environment's SimGrid host at the memory's share: cpu_ms × 1,769 / "
                                                          "memory_mb, and no faster than cpu_ms above 1,769 MB (none: no CPU work)"),
              boolean_param("work_per_job", false,
                            "a job's work_ms and cpu_ms are drawn once, from the job, and the same on every retry (a clip's length "
                            "decides its trim time, so a clip too long for the timeout fails every time); false: drawn anew per invocation"),
              distribution_param("init_ms", "ms", 250, "a new environment's init (runtime start and code outside the handler) before its "
                                                       "first invocation: the cold start (assumption: 250 ms; AWS: under 100 ms to over 1 s "
                                                       "by runtime and package; capped at 10 s)"),
              number_param("idle_timeout_s", "s", 600, "an on-demand environment idle this long is recycled (assumption: 10 min, as "
                                                       "measured since 2019; AWS does not publish it)").above(0),
              integer_param("reserved_concurrency", nullptr, "environments reserved for this function: its most at once, taken out of "
                                                             "the account's (absent: it shares what the account leaves unreserved; 0: "
                                                             "every invocation is throttled)").at_least(0).at_most(1000000),
              integer_param("provisioned_concurrency", 0, "environments initialized before the run and kept: no cold start while one is "
                                                          "free (counted against reserved or account concurrency)").at_least(0).at_most(1000000),
              integer_param("account_concurrency_limit", 1000, "the account's concurrency in the region, shared by every function of the "
                                                               "model (AWS default 1,000)").at_least(min_unreserved_concurrency).at_most(1000000),
              number_param("new_environments_per_10_s", "", 1000, "the scaling rate: new environments this function may start every 10 s, "
                                                                  "refilled continuously, never saved beyond that (AWS: 1,000)").above(0),
              object_list_param("calls", handler_call_fields(), "synchronous calls the handler makes after its work, in order, each waited for"),
              integer_param("maximum_retry_attempts", 2, "async invokes: retries after a function error (AWS 0..2, default 2; 1 min, "
                                                         "then 2 min later)").at_least(0).at_most(2),
              number_param("maximum_event_age_s", "s", 21600, "async invokes: an event older than this is given up (AWS 60..21,600 s, "
                                                              "default 6 h)").at_least(60).at_most(21600),
              reference_param("on_failure", Interaction::async_message,
                              "async invokes: the queue an event given up is sent to (on-failure destination or DLQ; absent: dropped)"),
          },
      .create = [](const ComponentSetup& setup) -> std::unique_ptr<Component> { return std::make_unique<Function>(setup); },
      .check = check_function,
      .operations = {{.name = "request",
                      .meaning = "Invoke, RequestResponse (synchronous): answered ok when the handler finishes, failed on a function error "
                                 "or timeout, rejected with status throttled (429) beyond a concurrency limit or the scaling rate",
                      .is_one_way = false,
                      .arguments = {},
                      .read_arguments = {}},
                     {.name = "invoke_async",
                      .meaning = "Invoke, Event (asynchronous, one-way): queued inside Lambda and retried, then sent to on_failure",
                      .is_one_way = true,
                      .arguments = {},
                      .read_arguments = {}}},
      .reference_rules = {{"on_failure", {"queue"}}},
      .check_with_model = check_account,
      .fault_actions = {"fail", "slow", "recover"},
      .is_managed_multi_zone = true,
      .computes_on_dedicated_cores = true,
      .signals = {{"concurrency", "environments", SignalKind::gauge, "ConcurrentExecutions: invocations initializing or running"},
                  {"environments", "environments", SignalKind::gauge, "execution environments alive (idle ones included)"},
                  {"cold_starts", "invocations", SignalKind::counter, "invocations that waited for a new environment's init"},
                  {"throttled", "invocations", SignalKind::counter, "Throttles: invocations refused (429)"}},
      .callers_default_retry = {},
  };
}

Function::Function(const ComponentSetup& setup)
    : Component(setup, "function"),
      world_(setup.world),
      params_(setup.params),
      memory_mb_(setup.params.at("memory_mb").get<double>()),
      timeout_s_(setup.params.at("timeout_s").get<double>()),
      work_s_(setup.world.seconds_of(setup.params.at("work_ms"))),
      init_s_(setup.world.seconds_of(setup.params.at("init_ms"))),
      provisioned_(setup.params.at("provisioned_concurrency").get<int>()),
      async_settings_{setup.params.at("maximum_retry_attempts").get<int>(), setup.params.at("maximum_event_age_s").get<double>()},
      on_failure_id_(setup.params.value("on_failure", "")),
      pool_(setup.params.at("idle_timeout_s").get<double>()),
      hosts_(setup.id, handler_cpu_speed(memory_mb_)),
      scaling_(setup.params.at("new_environments_per_10_s").get<double>()),
      work_rng_(setup.world.rng(setup.id + "/work")),
      routing_rng_(setup.world.rng(setup.id + "/routing")),
      fault_rng_(setup.world.rng(setup.id + "/faults")),
      is_work_per_job_(setup.params.at("work_per_job").get<bool>()),
      job_work_salt_(setup.world.rng(setup.id + "/job_work").next_u64())
{
  // A range of 2^32 connection numbers of its own (the upper half drawn per function), never 0.
  connection_base_ = (setup.world.rng(setup.id + "/connections").next_u64() | 1) << 32;
  if (setup.params.contains("reserved_concurrency") && !setup.params.at("reserved_concurrency").is_null())
    reserved_ = setup.params.at("reserved_concurrency").get<int>();
  if (setup.params.contains("cpu_ms") && !setup.params.at("cpu_ms").is_null()) {
    if (!setup.world.compute())
      throw std::logic_error(setup.id + ": cpu_ms runs on SimGrid's platform (sim/platform/), and this world has none");
    cpu_s_ = setup.world.seconds_of(setup.params.at("cpu_ms"));
  }
}

void Function::connect(World& world)
{
  auto calls = params_.value("calls", nlohmann::json::array());
  for (std::size_t i = 0; i < calls.size(); ++i) {
    CallSite& site = call_sites_.add(world, calls[i], id() + "/retry/calls[" + std::to_string(i) + "]");
    calls_.push_back({calls[i].at("probability").get<double>(), &site});
  }
  if (!on_failure_id_.empty())
    on_failure_ = &world.component(on_failure_id_);
  account_ = &world.side_table<ConcurrencyAccount>();
  account_->limit = params_.at("account_concurrency_limit").get<int>();  // the same for all (check_account)
  if (reserved_)
    account_->reserved_total += *reserved_;
  else
    account_->unreserved_in_use += provisioned_;
}

void Function::start(World& world)
{
  // Provisioned environments are initialized before the run begins: warm at time 0.
  for (int i = 0; i < provisioned_; ++i) {
    auto environment = pool_.add(true);
    pool_.set_busy(environment);
    pool_.set_idle(environment, 0);
  }
  // Hosts for as many runs computing at once as its concurrency allows, made before the platform is
  // sealed; past a bound (a large account), more are VMs made when needed.
  constexpr int most_prepared_hosts = 1000;
  if (cpu_s_)
    hosts_.prepare(*world.compute(), static_cast<std::size_t>(std::min(reserved_.value_or(account_->unreserved()), most_prepared_hosts)));
}

std::optional<double> Function::signal(std::string_view name) const
{
  if (name == "concurrency")
    return stats_.busy.level();
  if (name == "environments")
    return pool_.live();
  if (name == "cold_starts")
    return static_cast<double>(cold_starts_);
  if (name == "throttled")
    return static_cast<double>(throttled_);
  return Component::signal(name);
}

void Function::add_summary(nlohmann::json& summary, double end_s) const
{
  double measured_s = end_s - stats_.since_s();
  summary["invocations"] = invocations_;
  summary["cold_starts"] = cold_starts_;
  summary["throttled"] = throttled_;
  summary["timed_out"] = timed_out_;
  summary["errors"] = errors_;
  summary["concurrency"] = {{"mean", measured_s > 0 ? stats_.busy.area_until(end_s) / measured_s : 0.0}, {"max", max_concurrency_}};
  summary["environments"] = {{"at_end", pool_.live()}, {"expired", pool_.expired()}};
  summary["gb_s"] = gb_s_;
  if (events_received_ > 0)
    summary["async"] = {{"events", events_received_},      {"succeeded", events_succeeded_},
                        {"retries", async_retries_},       {"to_on_failure", events_to_destination_},
                        {"dropped", events_dropped_},      {"aged_out", events_aged_out_},
                        {"in_queue_at_end", events_.size() - free_events_.size()}};
}

void Function::add_billing(std::vector<BillingLine>& lines, double end_s) const
{
  // Requests are billed when the function runs (throttled ones are not); duration per GB-s, init
  // included for on-demand environments; provisioned environments by the GB-s they are kept, and
  // the time they run at their own, lower duration price.
  lines.push_back({"lambda.request", static_cast<double>(invocations_)});
  lines.push_back({"lambda.gb_second", gb_s_});
  if (provisioned_ > 0) {
    lines.push_back({"lambda.provisioned.gb_second", provisioned_ * memory_mb_ / 1024.0 * end_s});
    lines.push_back({"lambda.provisioned.duration.gb_second", provisioned_gb_s_});
  }
}

void Function::apply_fault(const FaultEvent& fault, World& world)
{
  double now_s = clock().now();
  if (fault.action == "fail") {
    crash_probability_ = fault.failure_probability;
    world.log().add(now_s, id(), "a share " + std::to_string(fault.failure_probability) + " of runs crash (environment reset)");
  } else if (fault.action == "slow") {
    slow_factor_ = fault.latency_factor;
    world.log().add(now_s, id(), "runs take " + std::to_string(fault.latency_factor) + " times longer");
  } else if (fault.action == "recover") {
    if (fault.target.empty())
      return;  // a zone comes back: Lambda runs in every zone of its Region, it never went down
    crash_probability_ = 0;
    slow_factor_ = 1;
    world.log().add(now_s, id(), "back to normal (no longer crashing or slow)");
  } else {
    Component::apply_fault(fault, world);
  }
}

}  // namespace archlab
