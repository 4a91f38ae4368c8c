// Topic: an Amazon SNS standard topic. A publisher's `publish` is answered after the API latency;
// then every subscription whose filter the message matches gets its own delivery, a call of the
// operation the subscription names on its target (a queue's `send`, a service's `request`, a
// function's invoke — any type that declares it, one-way or not). A delivery that fails is retried
// on the schedule of the subscription's delivery policy (delivery_policy.hpp); when the policy runs
// out the message goes to the subscription's dead-letter queue, or is dropped. A "fail" fault makes a
// share of publishes answer HTTP 500 (nothing is delivered, nothing billed); "slow" stretches the API latency.
//
// Figures are lifetime counts, warm-up included, like the bill.
#pragma once

#include "sim/components/store_faults.hpp"
#include "sim/components/topic/delivery_policy.hpp"
#include "sim/core/component.hpp"
#include "sim/core/distribution.hpp"
#include "sim/core/random.hpp"
#include "sim/core/registry.hpp"
#include "sim/metrics/histogram.hpp"

#include <deque>
#include <string>
#include <vector>

namespace archlab {

// A subscription's validated `delivery_policy` object; its protocol, given or implied by its operation.
DeliveryPolicy read_delivery_policy(const nlohmann::json& policy);
std::string subscription_protocol(const nlohmann::json& subscription);

class Topic final : public Component, public Caller {
public:
  explicit Topic(const ComponentSetup& setup);
  static ComponentType type_description();

  void accept(const Call& call) override;
  void connect(World& world) override;
  void on_answer(const Call& call, const Answer& answer) override;
  void add_summary(nlohmann::json& summary, double end_s) const override;
  std::optional<double> signal(std::string_view name) const override;
  void add_billing(std::vector<BillingLine>& billing, double end_s) const override;
  void apply_fault(const FaultEvent& fault, World& world) override;

private:
  struct Subscription {
    std::string target;
    std::string protocol;
    bool is_http = false;
    DeliveryPolicy policy;
    CallSite* site = nullptr;
    CallSite* dead_letter = nullptr;
    std::vector<std::uint16_t> filter_kinds;  // empty: every kind
    double filter_share = 1;                  // the share of messages whose attributes match (1: all)
    Rng filter_rng;
    std::uint64_t matched = 0;
    std::uint64_t filtered_out = 0;
    std::uint64_t attempts = 0;
    std::uint64_t delivered = 0;
    std::uint64_t retried = 0;
    std::uint64_t dropped = 0;
    std::uint64_t dead_lettered = 0;
    Histogram delivery_latency_s{64};  // from the publish's arrival to the answer of the delivery that succeeded
  };
  struct Delivery {
    Request request;  // the topic's own copy: the publisher may reuse its request once answered
    std::uint32_t subscription = 0;
    int retries_made = 0;
    double published_s = 0;
    bool is_to_dead_letter = false;
  };

  void fan_out(const Request& message, double published_s);
  bool matches(Subscription& subscription, const Request& message);
  void attempt(std::uint32_t slot);
  void after_failure(std::uint32_t slot);
  void release(std::uint32_t slot);
  double jittered(double delay_s);

  World& world_;
  const nlohmann::json& params_;
  Distribution api_latency_s_;
  Distribution delivery_latency_s_;
  double http_timeout_s_;
  double retry_jitter_;
  Rng latency_rng_;
  Rng jitter_rng_;
  Rng fault_rng_;
  StoreFaults faults_;
  std::vector<Subscription> subscriptions_;
  std::deque<Delivery> deliveries_;
  std::vector<std::uint32_t> free_deliveries_;
  std::uint64_t published_ = 0;
  std::uint64_t publishes_failed_ = 0;  // answered 500 by a fail fault: not published
  std::uint64_t publish_requests_ = 0;  // billed: one per 64 KB chunk of a message
  std::uint64_t in_retry_ = 0;          // deliveries waiting for their next attempt
  bool has_logged_drop_ = false;
  bool has_logged_dead_letter_ = false;
};

}  // namespace archlab
