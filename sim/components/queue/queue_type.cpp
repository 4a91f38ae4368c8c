// The queue's parameters, their checks and the settings the core is built from; its figures, bill and faults.
#include "sim/components/queue/queue.hpp"

#include "sim/core/world.hpp"
#include "sim/jobs/job_ledger.hpp"
#include "sim/core/fault_plan.hpp"

namespace archlab {

namespace {
std::vector<ParamSpec> receive_arguments()
{
  return {
      integer_param("max_messages", 1, "receive: MaxNumberOfMessages").at_least(1).at_most(10),
      number_param("wait_time_s", "s", 0, "receive: WaitTimeSeconds (above 0: long polling)").at_least(0).at_most(20),
      number_param("visibility_timeout_s", "s", nullptr, "receive: VisibilityTimeout for the received messages (absent: the queue's)")
          .at_least(0)
          .at_most(43200),
  };
}

std::shared_ptr<const CallArguments> read_receive_arguments(const nlohmann::json& call)
{
  auto arguments = std::make_shared<ReceiveArguments>();
  arguments->request.max_messages = call.value("max_messages", 1);
  arguments->request.wait_time_s = call.value("wait_time_s", 0.0);
  if (call.contains("visibility_timeout_s") && !call.at("visibility_timeout_s").is_null())
    arguments->request.visibility_timeout_s = call.at("visibility_timeout_s").get<double>();
  return arguments;
}

void check_queue(const nlohmann::json& params, const std::string& path, std::vector<Problem>& problems)
{
  bool has_dead_letter_queue = params.contains("dead_letter_queue");
  if (has_dead_letter_queue && !params.contains("max_receive_count"))
    problems.push_back({path + ".max_receive_count", "is required with a dead_letter_queue (maxReceiveCount, 1..1000)"});
  if (!has_dead_letter_queue && params.contains("max_receive_count"))
    problems.push_back({path + ".max_receive_count", "only counts with a dead_letter_queue to move messages to"});
  if (!params.at("fifo").get<bool>()) {
    for (const char* fifo_only : {"message_group", "deduplication"})
      if (params.contains(fifo_only))
        problems.push_back({path + "." + fifo_only, "only a FIFO queue has it; set \"fifo\": true"});
  }
}

// Run here, at validation, rather than when the queues connect, so that `archlab validate` refuses
// what `archlab run` would. The type of the dead-letter queue is checked with every reference.
void check_dead_letter_queue(const nlohmann::json& params, const std::string& path, const nlohmann::json& document,
                             std::vector<Problem>& problems)
{
  if (!params.contains("dead_letter_queue"))
    return;
  auto field = path + ".dead_letter_queue";
  auto dead_letter_id = params.at("dead_letter_queue").get<std::string>();
  if (path == "components." + dead_letter_id) {
    problems.push_back({field, "a queue cannot be its own dead-letter queue"});
    return;
  }
  const auto& dead_letter = document.at("components").at(dead_letter_id);
  if (dead_letter.at("type") != "queue")
    return;
  bool is_fifo = params.at("fifo").get<bool>();
  if (dead_letter.at("fifo").get<bool>() != is_fifo)
    problems.push_back({field, std::string("the dead-letter queue of a ") + (is_fifo ? "FIFO" : "standard") + " queue must be " +
                                   (is_fifo ? "FIFO" : "standard") + " too (AWS); '" + dead_letter_id + "' is not"});
}

QueueSettings settings_from(const nlohmann::json& params)
{
  QueueSettings settings;
  settings.is_fifo = params.at("fifo").get<bool>();
  settings.visibility_timeout_s = params.at("visibility_timeout_s").get<double>();
  settings.retention_s = params.at("message_retention_s").get<double>();
  settings.delay_s = params.at("delay_s").get<double>();
  settings.max_receive_count = params.contains("dead_letter_queue") ? params.at("max_receive_count").get<int>() : 0;
  settings.is_group_per_job = params.value("message_group", "constant") == "per_job";
  settings.is_group_per_key = params.value("message_group", "constant") == "per_key";
  settings.is_dedup_per_job = params.value("deduplication", "per_job") == "per_job";
  settings.in_flight_limit = params.at("in_flight_limit").get<std::size_t>();
  settings.short_poll_miss_probability = params.at("short_poll_miss_probability").get<double>();
  return settings;
}
}  // namespace

ComponentType Queue::type_description()
{
  return {
      .name = "queue",
      .summary = "a message queue: at-least-once (standard) or ordered per group and deduplicated (FIFO), with "
                 "visibility timeouts, long polling, delays, retention and a dead-letter queue",
      .aws_counterpart = "Amazon SQS (standard or FIFO queue)",
      .part_kind = PartKind::queue,
      .params =
          {
              boolean_param("fifo", false, "a FIFO queue: strict order within a message group, one batch in flight per group, "
                                           "duplicate sends dropped; otherwise a standard queue (at least once, best-effort order)"),
              number_param("visibility_timeout_s", "s", 30, "how long a received message stays hidden before it is visible again "
                                                            "(AWS default 30 s, at most 12 h)").at_least(0).at_most(43200),
              number_param("message_retention_s", "s", 345600, "messages older than this are deleted (AWS default 345600 s = 4 days, "
                                                               "60 s to 14 days)").at_least(60).at_most(1209600),
              number_param("delay_s", "s", 0, "new messages stay hidden this long after their send (delay queue; AWS default 0, "
                                              "at most 900 s)").at_least(0).at_most(900),
              number_param("receive_wait_time_s", "s", 0, "ReceiveMessageWaitTimeSeconds: the long-poll wait of receives that ask "
                                                          "for none (wait 0) (AWS default 0: short polling)").at_least(0).at_most(20),
              reference_param("dead_letter_queue", Interaction::async_message,
                              "queue that receives messages received max_receive_count times without being deleted (redrive "
                              "policy); it must be FIFO when this queue is, standard when it is not"),
              integer_param("max_receive_count", nullptr, "maxReceiveCount: the receive after this many moves the message to the "
                                                          "dead-letter queue instead (AWS 1..1000; required with one)").at_least(1).at_most(1000),
              choice_param("message_group", {"constant", "per_job", "per_key"}, "",
                           "FIFO only: the MessageGroupId senders use, one constant group (strict order for all, one batch in "
                           "flight at a time), the job id (order per job) or the request's key (order per user or item; a "
                           "request without one is a group of its own) (absent: constant)").with_default(nullptr),
              choice_param("deduplication", {"per_job", "none"}, "",
                           "FIFO only: MessageDeduplicationId = the job id, so a job sent again within 300 s (AWS) is accepted "
                           "but not enqueued; or none (absent: per_job)").with_default(nullptr),
              integer_param("max_message_size_bytes", 1048576,
                            "MaximumMessageSize: a larger send is refused (InvalidParameterValue, answered failed); AWS: 1,024 "
                            "bytes to 1 MiB, 1 MiB by default since 2026 (256 KiB before)")
                  .at_least(1024)
                  .at_most(1048576),
              integer_param("in_flight_limit", 120000, "most messages in flight at once (AWS: about 120,000, standard and FIFO); "
                                                       "beyond it a standard short poll fails (OverLimit), other receives get "
                                                       "nothing").at_least(1),
              distribution_param("api_latency_ms", "ms", nlohmann::json{{"dist", "lognormal"}, {"mean", 5}, {"cv", 0.5}},
                                 "time each SQS API call takes, from the caller's side (assumption: a few ms inside a region; "
                                 "AWS publishes no figure)"),
              number_param("short_poll_miss_probability", "", 0.1,
                           "short polls ask only some servers (AWS): the chance that each visible message of a standard queue "
                           "is missed, when fewer than 1000 are stored (assumption; AWS gives no number)").at_least(0).at_most(0.99),
          },
      .create = [](const ComponentSetup& setup) -> std::unique_ptr<Component> { return std::make_unique<Queue>(setup); },
      .check = check_queue,
      .operations = {{.name = "send", .meaning = "SendMessage: stored (FIFO: deduplicated), the sender answered after the API latency"},
                     {.name = "receive",
                      .meaning = "ReceiveMessage: 0..max_messages messages, at once or when a long poll ends",
                      .arguments = receive_arguments(),
                      .read_arguments = read_receive_arguments},
                     {.name = "delete_message", .meaning = "DeleteMessage, by the receipt of a message received"}},
      .reference_rules = {{"dead_letter_queue", {"queue"}}},
      .check_with_model = check_dead_letter_queue,
      .fault_actions = {"poison", "never_ending"},
      .is_managed_multi_zone = true,
      .signals = {{"visible_messages", "messages", SignalKind::gauge, "ApproximateNumberOfMessagesVisible"},
                  {"in_flight_messages", "messages", SignalKind::gauge, "ApproximateNumberOfMessagesNotVisible"},
                  {"messages_sent", "messages", SignalKind::counter, "NumberOfMessagesSent (duplicates dropped left out)"},
                  {"empty_receives", "receives", SignalKind::counter, "NumberOfEmptyReceives"},
                  {"dead_lettered", "messages", SignalKind::counter, "messages moved to the dead-letter queue"}},
  };
}

Queue::Queue(const ComponentSetup& setup)
    : Component(setup, "queue"),
      world_(setup.world),
      core_(settings_from(setup.params)),
      receive_wait_time_s_(setup.params.at("receive_wait_time_s").get<double>()),
      dead_letter_id_(setup.params.value("dead_letter_queue", "")),
      latency_rng_(setup.world.rng(setup.id + "/api_latency")),
      short_poll_rng_(setup.world.rng(setup.id + "/short_poll"))
{
  max_message_size_bytes_ = setup.params.at("max_message_size_bytes").get<std::uint32_t>();
  api_latency_s_ = setup.world.seconds_of(setup.params.at("api_latency_ms"));
}

void Queue::connect(World& world)
{
  if (dead_letter_id_.empty())
    return;
  // Validation has made sure it is another queue, FIFO when this one is (check_dead_letter_queue).
  dead_letter_queue_ = &dynamic_cast<Queue&>(world.component(dead_letter_id_));
}

std::optional<double> Queue::signal(std::string_view name) const
{
  if (name == "visible_messages")
    return visible_messages();
  if (name == "in_flight_messages")
    return in_flight_messages();
  if (name == "messages_sent")
    return static_cast<double>(sent_);
  if (name == "empty_receives")
    return static_cast<double>(empty_receives_);
  if (name == "dead_lettered")
    return static_cast<double>(dead_lettered_);
  return Component::signal(name);
}

void Queue::add_summary(nlohmann::json& summary, double end_s) const
{
  double depth_mean = stats_.mean_waiting(end_s);
  summary["requests"] = requests_;
  summary["sent"] = sent_;
  summary["duplicates_dropped"] = duplicates_dropped_;
  if (oversized_)
    summary["refused_oversized"] = oversized_;
  summary["received"] = received_;
  summary["empty_receives"] = empty_receives_;
  summary["deleted"] = deleted_;
  summary["redelivered"] = redelivered_;
  summary["dead_lettered"] = dead_lettered_;
  summary["dead_letters_in"] = dead_letters_in_;
  summary["expired"] = expired_;
  summary["depth"] = {{"max", depth_max_}, {"mean", depth_mean}, {"at_end", core_.visible()}};
  if (first_receive_wait_s_.count() > 0)  // from time 0: how long a message waited to be received the first time
    summary["wait_s"] = {{"mean", first_receive_wait_s_.mean()}, {"p50", first_receive_wait_s_.percentile(0.5)},
                         {"p99", first_receive_wait_s_.percentile(0.99)}, {"max", first_receive_wait_s_.max()}};
  summary["in_flight_at_end"] = core_.in_flight();
  summary["delayed_at_end"] = core_.delayed();
}

void Queue::add_billing(std::vector<BillingLine>& billing, double) const
{
  // Every API call is billed, empty receives included (AWS); messages are taken as one 64 KB chunk.
  billing.push_back({is_fifo() ? "sqs.fifo.request" : "sqs.standard.request", static_cast<double>(requests_ + billed_chunks_)});
}

void Queue::apply_fault(const FaultEvent& fault, World& world)
{
  if (fault.action != "poison" && fault.action != "never_ending") {
    Component::apply_fault(fault, world);
    return;
  }
  jobs_of(world).mark_next(fault.action == "poison", fault.count);
  world.log().add(clock().now(), id(), "the next " + std::to_string(fault.count) + " job(s) sent are marked " + fault.action);
}

}  // namespace archlab
