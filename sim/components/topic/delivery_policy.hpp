// SNS delivery retries as a schedule: which retry waits how long, per the delivery policy of the
// subscription's protocol (AWS "Amazon SNS message delivery retries"). Pure, so the documented
// schedules are held to their figures in delivery_policy.test.cpp.
//
// A policy has four phases, in order: retries at once, retries at the minimum delay, retries whose
// delay grows from the minimum to the maximum (the backoff function), retries at the maximum delay.
// `num_retries` counts all of them; the backoff phase gets what the other three leave.
#pragma once

#include <optional>
#include <string>

namespace archlab {

enum class BackoffFunction { linear, arithmetic, geometric, exponential };
std::optional<BackoffFunction> backoff_function_named(const std::string& name);

struct DeliveryPolicy {
  int num_retries = 3;
  int num_no_delay_retries = 0;
  int num_min_delay_retries = 0;
  int num_max_delay_retries = 0;
  double min_delay_s = 20;
  double max_delay_s = 20;
  BackoffFunction backoff = BackoffFunction::linear;

  int backoff_retries() const { return num_retries - num_no_delay_retries - num_min_delay_retries - num_max_delay_retries; }
};

// SQS, Lambda and Firehose subscriptions (not configurable): 3 attempts at once, 2 one second apart,
// 10 backing off from 1 s to 20 s, then 100,000 every 20 s — 100,015 attempts, about 23 days. The
// first of the immediate attempts is the delivery itself, so the policy holds 100,014 retries.
DeliveryPolicy managed_endpoint_policy();
// HTTP/S subscriptions without a policy of their own: 3 retries, 20 s apart.
DeliveryPolicy http_default_policy();

// AWS's hard limit on the sum of an HTTP/S policy's delays.
constexpr double http_policy_max_total_s = 3600;
constexpr int http_policy_max_retries = 100;

// The wait before retry `retry` (1: the first retry after the first attempt), before jitter; nothing
// once the policy has no retry left.
std::optional<double> retry_delay_s(const DeliveryPolicy& policy, int retry);
// The sum of every retry's delay: how long after the first attempt the last one goes.
double total_retry_time_s(const DeliveryPolicy& policy);
// What is wrong with a custom (HTTP/S) policy, in AWS's terms; empty when it is valid.
std::string http_policy_problem(const DeliveryPolicy& policy);

}  // namespace archlab
