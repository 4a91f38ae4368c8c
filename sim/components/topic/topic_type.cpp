// The topic's parameters and the checks of its subscriptions.
#include "sim/components/topic/topic.hpp"

#include "sim/core/json_io.hpp"

#include <set>

namespace archlab {

namespace {
bool is_http_protocol(const std::string& protocol) { return protocol == "http" || protocol == "https"; }

std::vector<ParamSpec> delivery_policy_fields()
{
  return {
      integer_param("num_retries", 3, "numRetries: retries in all four phases (AWS 0..100; default 3)").at_least(0).at_most(http_policy_max_retries),
      integer_param("num_no_delay_retries", 0, "numNoDelayRetries: retries at once, first").at_least(0),
      integer_param("num_min_delay_retries", 0, "numMinDelayRetries: retries min_delay_target_s apart, next (pre-backoff phase)").at_least(0),
      integer_param("num_max_delay_retries", 0, "numMaxDelayRetries: retries max_delay_target_s apart, last (post-backoff phase)").at_least(0),
      number_param("min_delay_target_s", "s", 20, "minDelayTarget (AWS default 20 s, at least 1 s)").at_least(1),
      number_param("max_delay_target_s", "s", 20, "maxDelayTarget (AWS default 20 s, at most 3,600 s)").at_least(1).at_most(http_policy_max_total_s),
      choice_param("backoff_function", {"linear", "arithmetic", "geometric", "exponential"}, "linear",
                   "how delays grow from the minimum to the maximum in the backoff phase (AWS default linear; AWS gives the "
                   "curves as a figure: exponential is a constant factor, arithmetic and geometric shapes are assumptions)"),
  };
}

std::vector<ParamSpec> filter_fields()
{
  return {
      text_list_param("kinds", "request kinds (the message attribute `kind`) that match; absent: every kind"),
      number_param("share", "", 1, "share of the messages whose other attributes match, drawn per message (stands for a filter "
                                   "policy on attributes the simulator does not model; 1: all)").at_least(0).at_most(1),
  };
}

std::vector<ParamSpec> subscription_fields()
{
  return {
      reference_param("target", Interaction::async_message, "the subscribed endpoint: a queue, a function, a service (HTTP/S) …").required(),
      operation_param("the operation a delivery calls on the target, one its type declares (absent: send, a queue's "
                      "SendMessage; request for an HTTP/S endpoint); its arguments go beside it")
          .with_default(nullptr),
      choice_param("protocol", {"sqs", "lambda", "firehose", "http", "https"}, "",
                   "the subscription's protocol, which sets its delivery policy: sqs, lambda and firehose are AWS-managed "
                   "endpoints (100,015 attempts over 23 days, not configurable), http and https take delivery_policy "
                   "(absent: http when the operation is request, else sqs)")
          .with_default(nullptr),
      object_param("delivery_policy", delivery_policy_fields(),
                   "HTTP/S only: the retry policy's four phases (absent: 3 retries 20 s apart; AWS limits the total to 3,600 s)")
          .absent_unless_given(),
      object_param("redrive_policy",
                   {reference_param("dead_letter_queue", Interaction::async_message,
                                    "standard queue that receives the messages whose delivery policy ran out").required()},
                   "the subscription's dead-letter queue (absent: messages whose delivery policy ran out are dropped)")
          .absent_unless_given(),
      object_param("filter", filter_fields(), "the subscription's filter policy (absent: every message)").absent_unless_given(),
  };
}

std::string resolved_protocol(const nlohmann::json& subscription)
{
  if (subscription.contains("protocol") && subscription.at("protocol").is_string())
    return subscription.at("protocol").get<std::string>();
  bool is_request = subscription.contains("operation") && subscription.at("operation") == "request";
  return is_request ? "http" : "sqs";
}

void check_topic(const nlohmann::json& params, const std::string& path, std::vector<Problem>& problems)
{
  std::set<std::string> targets;
  const auto& subscriptions = params.at("subscriptions");
  for (std::size_t i = 0; i < subscriptions.size(); ++i) {
    const auto& subscription = subscriptions[i];
    auto at = path + ".subscriptions[" + std::to_string(i) + "]";
    auto target = subscription.at("target").get<std::string>();
    if (!targets.insert(target).second)
      problems.push_back({at + ".target", "'" + target + "' is subscribed already (AWS: subscribing an endpoint again gives the same subscription)"});
    if (!subscription.contains("delivery_policy"))
      continue;
    if (!is_http_protocol(resolved_protocol(subscription))) {
      problems.push_back({at + ".delivery_policy", "only HTTP/S subscriptions take a delivery policy (AWS); an " + resolved_protocol(subscription) +
                                                       " subscription is retried 100,015 times over 23 days"});
      continue;
    }
    auto problem = http_policy_problem(read_delivery_policy(subscription.at("delivery_policy")));
    if (!problem.empty())
      problems.push_back({at + ".delivery_policy", problem});
  }
}

// A standard topic's dead-letter queue must be a standard queue (AWS).
void check_dead_letter_queues(const nlohmann::json& params, const std::string& path, const nlohmann::json& document,
                              std::vector<Problem>& problems)
{
  const auto& subscriptions = params.at("subscriptions");
  for (std::size_t i = 0; i < subscriptions.size(); ++i) {
    if (!subscriptions[i].contains("redrive_policy"))
      continue;
    auto id = subscriptions[i].at("redrive_policy").at("dead_letter_queue").get<std::string>();
    const auto& queue = document.at("components").at(id);
    if (queue.at("type") == "queue" && queue.value("fifo", false))
      problems.push_back({path + ".subscriptions[" + std::to_string(i) + "].redrive_policy.dead_letter_queue",
                          "the dead-letter queue of a standard topic must be a standard queue (AWS); '" + id + "' is FIFO"});
  }
}
}  // namespace

DeliveryPolicy read_delivery_policy(const nlohmann::json& policy)
{
  return {.num_retries = policy.at("num_retries").get<int>(),
          .num_no_delay_retries = policy.at("num_no_delay_retries").get<int>(),
          .num_min_delay_retries = policy.at("num_min_delay_retries").get<int>(),
          .num_max_delay_retries = policy.at("num_max_delay_retries").get<int>(),
          .min_delay_s = policy.at("min_delay_target_s").get<double>(),
          .max_delay_s = policy.at("max_delay_target_s").get<double>(),
          .backoff = backoff_function_named(policy.at("backoff_function").get<std::string>()).value_or(BackoffFunction::linear)};
}

std::string subscription_protocol(const nlohmann::json& subscription) { return resolved_protocol(subscription); }

ComponentType Topic::type_description()
{
  auto lognormal_ms = [](double mean_ms) { return nlohmann::json{{"dist", "lognormal"}, {"mean", mean_ms}, {"cv", 0.5}}; };
  return {
      .name = "topic",
      .summary = "a pub/sub topic: each publish fans out to the subscriptions its filter matches, each delivery retried on its "
                 "protocol's delivery policy, then dead-lettered or dropped",
      .aws_counterpart = "Amazon SNS standard topic",
      .part_kind = PartKind::topic,
      .params =
          {
              object_list_param("subscriptions", subscription_fields(), "the topic's subscriptions; each is delivered and retried on its own")
                  .with_default(nlohmann::json::array()),
              distribution_param("api_latency_ms", "ms", lognormal_ms(20), "time a Publish takes, from the publisher's side (assumption: AWS gives no figure)"),
              distribution_param("delivery_latency_ms", "ms", lognormal_ms(50),
                                 "from a publish's answer to the first delivery attempt of each subscription (assumption: AWS gives no figure)"),
              number_param("http_timeout_s", "s", 15, "an HTTP/S delivery with no answer after this long failed and is retried (assumption)").above(0),
              number_param("retry_jitter", "", 0,
                           "SNS jitters its retries (AWS) by an amount it does not give: each delay is spread uniformly over ± this "
                           "share of it (0: the policy's delays exactly)").at_least(0).at_most(1),
          },
      .create = [](const ComponentSetup& setup) -> std::unique_ptr<Component> { return std::make_unique<Topic>(setup); },
      .check = check_topic,
      .operations = {{.name = "publish", .meaning = "Publish: answered after the API latency, then delivered to every matching subscription",
                      .is_one_way = false, .arguments = {}, .read_arguments = {}}},
      // SNS delivers to SQS, Lambda and HTTP/S endpoints (email, SMS and push have no component here);
      // never to a bucket or another topic directly.
      .reference_rules = {{"subscriptions[].target", {"queue", "function", "service", "load_balancer", "api_gateway"}},
                          {"subscriptions[].redrive_policy.dead_letter_queue", {"queue"}}},
      .check_with_model = check_dead_letter_queues,
      .fault_actions = {"slow", "fail", "recover"},
      .is_managed_multi_zone = true,
      .signals = {{"messages_published", "messages", SignalKind::counter, "NumberOfMessagesPublished"},
                  {"notifications_delivered", "deliveries", SignalKind::counter, "NumberOfNotificationsDelivered"},
                  {"notifications_failed", "deliveries", SignalKind::counter, "NumberOfNotificationsFailed: dropped or dead-lettered"}},
  };
}

}  // namespace archlab
