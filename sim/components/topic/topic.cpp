#include "sim/components/topic/topic.hpp"

#include "sim/core/slot_pool.hpp"
#include "sim/core/world.hpp"

#include <algorithm>
#include <cmath>

namespace archlab {

namespace {
const Operation publish_operation = Operation::named("publish");
constexpr double billing_chunk_bytes = 64 * 1024;  // each 64 KB of a published message is billed as one request (AWS)

}  // namespace

Topic::Topic(const ComponentSetup& setup)
    : Component(setup, "topic"),
      world_(setup.world),
      params_(setup.params),
      api_latency_s_(setup.world.seconds_of(setup.params.at("api_latency_ms"))),
      delivery_latency_s_(setup.world.seconds_of(setup.params.at("delivery_latency_ms"))),
      http_timeout_s_(setup.params.at("http_timeout_s").get<double>()),
      retry_jitter_(setup.params.at("retry_jitter").get<double>()),
      latency_rng_(setup.world.rng(setup.id + "/latency")),
      jitter_rng_(setup.world.rng(setup.id + "/jitter")),
      fault_rng_(setup.world.rng(setup.id + "/faults"))
{
}

void Topic::connect(World& world)
{
  const auto& subscriptions = params_.at("subscriptions");
  subscriptions_.reserve(subscriptions.size());
  for (std::size_t i = 0; i < subscriptions.size(); ++i) {
    const auto& json = subscriptions[i];
    Subscription subscription;
    subscription.target = json.at("target").get<std::string>();
    subscription.protocol = subscription_protocol(json);
    subscription.filter_rng = world.rng(id() + "/filter/" + subscription.target);
    subscription.is_http = subscription.protocol == "http" || subscription.protocol == "https";
    subscription.policy = !subscription.is_http             ? managed_endpoint_policy()
                          : json.contains("delivery_policy") ? read_delivery_policy(json.at("delivery_policy"))
                                                             : http_default_policy();
    // The call site makes one attempt and answers; the delivery policy, not a call policy, retries.
    nlohmann::json site = {{"target", subscription.target}};
    for (const auto& [key, value] : json.items())
      if (key != "protocol" && key != "delivery_policy" && key != "redrive_policy" && key != "filter" && !value.is_null())
        site[key] = value;
    if (!site.contains("operation"))
      site["operation"] = "send";
    if (subscription.is_http)
      site["timeout_ms"] = http_timeout_s_ * 1000;
    auto stream = id() + "/subscriptions[" + std::to_string(i) + "]";
    subscription.site = &call_sites_.add(world, site, stream);
    if (json.contains("redrive_policy")) {
      nlohmann::json dead_letter = {{"target", json.at("redrive_policy").at("dead_letter_queue")}, {"operation", "send"}};
      subscription.dead_letter = &call_sites_.add(world, dead_letter, stream + "/dead_letter_queue");
    }
    if (json.contains("filter")) {
      const auto& filter = json.at("filter");
      for (const auto& kind : filter.value("kinds", nlohmann::json::array()))
        subscription.filter_kinds.push_back(world.kind_id(kind.get<std::string>()));
      subscription.filter_share = filter.at("share").get<double>();
    }
    subscriptions_.push_back(std::move(subscription));
  }
}

void Topic::accept(const Call& call)
{
  stats_.arrive(call.request->is_measured);
  if (call.operation != publish_operation) {
    refuse_operation(call, world_);
    return;
  }
  double arrived_s = clock().now();
  double latency_s = std::max(0.0, api_latency_s_.sample(latency_rng_)) * faults_.latency_factor;
  stats_.busy.add(arrived_s, 1);
  if (faults_.failure_probability > 0 && fault_rng_.uniform01() < faults_.failure_probability) {
    ++publishes_failed_;
    clock().after(latency_s, [this, call, arrived_s] {
      stats_.busy.add(clock().now(), -1);
      stats_.finish(clock().now() - arrived_s, false, call.request->is_measured);
      call.caller->on_answer(call, Outcome::failed);
    });
    return;
  }
  ++published_;
  publish_requests_ += static_cast<std::uint64_t>(std::max(1.0, std::ceil(call.request->size_bytes / billing_chunk_bytes)));
  Request message = *call.request;  // kept apart: the publisher may reuse its request once answered
  clock().after(latency_s, [this, call, arrived_s, message] {
    stats_.busy.add(clock().now(), -1);
    stats_.finish(clock().now() - arrived_s, true, call.request->is_measured);
    call.caller->on_answer(call, Outcome::ok);
    fan_out(message, arrived_s);
  });
}

bool Topic::matches(Subscription& subscription, const Request& message)
{
  if (!subscription.filter_kinds.empty() &&
      std::find(subscription.filter_kinds.begin(), subscription.filter_kinds.end(), message.kind) == subscription.filter_kinds.end())
    return false;
  return subscription.filter_share >= 1 || subscription.filter_rng.uniform01() < subscription.filter_share;
}

void Topic::fan_out(const Request& message, double published_s)
{
  for (std::uint32_t i = 0; i < subscriptions_.size(); ++i) {
    auto& subscription = subscriptions_[i];
    if (!matches(subscription, message)) {
      ++subscription.filtered_out;
      continue;
    }
    ++subscription.matched;
    std::uint32_t slot = take_slot(deliveries_, free_deliveries_);
    Delivery& delivery = deliveries_[slot];
    delivery = Delivery{.request = message, .subscription = i, .retries_made = 0, .published_s = published_s, .is_to_dead_letter = false};
    delivery.request.sent_s = clock().now();
    delivery.request.deadline_s = Scheduler::never;
    delivery.request.parent = {};
    delivery.request.timeout = {};
    clock().after(std::max(0.0, delivery_latency_s_.sample(latency_rng_)), [this, slot] { attempt(slot); });
  }
}

void Topic::attempt(std::uint32_t slot)
{
  Delivery& delivery = deliveries_[slot];
  auto& subscription = subscriptions_[delivery.subscription];
  ++subscription.attempts;
  subscription.site->send(Call{&delivery.request, this, slot, subscription.site->operation()});
  if (subscription.site->is_one_way()) {  // handed over: nobody answers, so it is delivered
    ++subscription.delivered;
    subscription.delivery_latency_s.record(clock().now() - delivery.published_s);
    release(slot);
  }
}

void Topic::on_answer(const Call& call, const Answer& answer)
{
  auto slot = static_cast<std::uint32_t>(call.tag);
  Delivery& delivery = deliveries_[slot];
  auto& subscription = subscriptions_[delivery.subscription];
  if (delivery.is_to_dead_letter) {
    if (answer.outcome == Outcome::ok)
      ++subscription.dead_lettered;
    else
      ++subscription.dropped;  // the dead-letter queue refused it too
    release(slot);
    return;
  }
  if (answer.outcome == Outcome::ok) {
    ++subscription.delivered;
    subscription.delivery_latency_s.record(clock().now() - delivery.published_s);
    release(slot);
    return;
  }
  after_failure(slot);
}

// A failed attempt: the next retry of the policy, or the dead-letter queue, or the message is lost.
void Topic::after_failure(std::uint32_t slot)
{
  Delivery& delivery = deliveries_[slot];
  auto& subscription = subscriptions_[delivery.subscription];
  if (auto delay_s = retry_delay_s(subscription.policy, delivery.retries_made + 1)) {
    ++delivery.retries_made;
    ++subscription.retried;
    ++in_retry_;
    clock().after(jittered(*delay_s), [this, slot] {
      --in_retry_;
      attempt(slot);
    });
    return;
  }
  if (subscription.dead_letter) {
    if (!has_logged_dead_letter_)
      world_.log().add(clock().now(), id(), "delivery policy ran out for '" + subscription.target + "': message sent to its dead-letter queue (logged once)");
    has_logged_dead_letter_ = true;
    delivery.is_to_dead_letter = true;
    subscription.dead_letter->send(Call{&delivery.request, this, slot, subscription.dead_letter->operation()});
    return;
  }
  if (!has_logged_drop_)
    world_.log().add(clock().now(), id(), "delivery policy ran out for '" + subscription.target + "' and it has no dead-letter queue: message dropped (logged once)");
  has_logged_drop_ = true;
  ++subscription.dropped;
  release(slot);
}

double Topic::jittered(double delay_s)
{
  if (retry_jitter_ <= 0 || delay_s <= 0)
    return delay_s;
  return delay_s * (1 + retry_jitter_ * (2 * jitter_rng_.uniform01() - 1));
}

void Topic::release(std::uint32_t slot) { free_deliveries_.push_back(slot); }

std::optional<double> Topic::signal(std::string_view name) const
{
  std::uint64_t delivered = 0, failed = 0;
  for (const auto& subscription : subscriptions_) {
    delivered += subscription.delivered;
    failed += subscription.dropped + subscription.dead_lettered;
  }
  if (name == "messages_published")
    return static_cast<double>(published_);
  if (name == "notifications_delivered")
    return static_cast<double>(delivered);
  if (name == "notifications_failed")
    return static_cast<double>(failed);
  return Component::signal(name);
}

void Topic::add_summary(nlohmann::json& summary, double /*end_s*/) const
{
  summary["published"] = published_;
  summary["publishes_failed"] = publishes_failed_;
  nlohmann::json by_target = nlohmann::json::object();
  for (const auto& subscription : subscriptions_) {
    const auto& latency = subscription.delivery_latency_s;
    by_target[subscription.target] = {
        {"protocol", subscription.protocol},
        {"matched", subscription.matched},
        {"filtered_out", subscription.filtered_out},
        {"attempts", subscription.attempts},
        {"delivered", subscription.delivered},
        {"retried", subscription.retried},
        {"dropped", subscription.dropped},
        {"dead_lettered", subscription.dead_lettered},
        {"delivery_latency_s", {{"mean", latency.mean()}, {"p99", latency.percentile(0.99)}, {"max", latency.max()}}},
    };
  }
  summary["subscriptions"] = by_target;
  summary["deliveries_in_retry"] = in_retry_;
  summary["deliveries_unfinished"] = deliveries_.size() - free_deliveries_.size();
}

void Topic::apply_fault(const FaultEvent& fault, World& world)
{
  if (fault.target.empty())
    return;  // a zone outage: SNS is regional
  if (!faults_.apply(fault, world, clock().now(), id(), "HTTP 500"))
    Component::apply_fault(fault, world);
}

void Topic::add_billing(std::vector<BillingLine>& billing, double /*end_s*/) const
{
  billing.push_back({"sns.publish.request", static_cast<double>(publish_requests_)});
  std::uint64_t http_deliveries = 0;  // deliveries to SQS and Lambda are not billed by SNS (AWS)
  for (const auto& subscription : subscriptions_)
    if (subscription.is_http)
      http_deliveries += subscription.delivered;
  if (http_deliveries > 0)
    billing.push_back({"sns.http.notification", static_cast<double>(http_deliveries)});
}

}  // namespace archlab
