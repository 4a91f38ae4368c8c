// Signed AWS JSON 1.0 calls, the protocol DynamoDB and (since 2023) SQS
// speak: every operation is a POST to "/" with the JSON input as body,
//   Content-Type: application/x-amz-json-1.0
//   X-Amz-Target: <prefix>.<Operation>     ("AmazonSQS.SendMessage")
// signed with sigv4.hpp. Failures come back as JSON {"__type", "message"}
// and become AwsError; throttling, 5xx and transport failures are retried
// with capped exponential backoff and full jitter, like the SDKs' standard
// retry mode. The decisions (error parsing, whether and how long to wait)
// are pure functions, tested on their own.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "aws_endpoints.hpp"
#include "credentials_provider.hpp"
#include "http_client.hpp"

namespace archlab::real {

// The service answered with an error (after any retries).
struct AwsError : std::runtime_error {
    AwsError(const std::string& operation, std::string code, std::string message, long http_status, bool retryable);
    std::string code;     // "ConditionalCheckFailedException", "QueueDoesNotExist", ...
    std::string message;  // the service's own text
    long http_status;
    bool retryable;
};

// "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException" ->
// "ResourceNotFoundException"; also drops a ":<url>" suffix some services add.
std::string error_code_from_type(const std::string& type);

// Throttling codes (the SDKs' list) and every 5xx are worth retrying; other
// 4xx mean the request itself is wrong and would fail again.
bool is_retryable_error(const std::string& code, long http_status);

// An error response as AwsError. Tolerates a body that is not JSON (a load
// balancer's HTML page) by keeping its start as the message.
AwsError parse_aws_error(const std::string& operation, long http_status, const std::string& body);

struct RetryPolicy {
    int max_attempts = 3;  // first try included; the SDKs' standard mode uses 3
    std::chrono::milliseconds base_delay{100};
    std::chrono::milliseconds max_backoff{20000};
};

// Wait before the next try after attempt `failed_attempt` (1-based) failed:
// full jitter, uniform01 * min(max_backoff, base_delay * 2^(failed_attempt-1)).
// `uniform01` in [0, 1) comes from the caller's RNG so this stays pure.
std::chrono::milliseconds backoff_delay(const RetryPolicy& policy, int failed_attempt, double uniform01);

// Whether attempt `failed_attempt` (1-based), which failed, is followed by another.
bool should_retry(const RetryPolicy& policy, int failed_attempt, bool retryable);

// The SigV4 timestamp, YYYYMMDDTHHMMSSZ in UTC.
std::string format_amz_date(std::chrono::system_clock::time_point time);

struct AwsJsonClientConfig {
    ServiceEndpoint endpoint;
    std::string target_prefix;  // "AmazonSQS", "DynamoDB_20120810"
    RetryPolicy retry;
    HttpClientOptions http;
    Clock clock = [] { return std::chrono::system_clock::now(); };
    std::function<void(std::chrono::milliseconds)> sleep = [](std::chrono::milliseconds delay) {
        std::this_thread::sleep_for(delay);
    };
    // Set it for reproducible jitter (tests); otherwise seeded randomly so
    // many workers do not retry in lockstep.
    std::optional<std::uint64_t> rng_seed;
};

// Thread-safe: each call borrows an HttpClient from a small pool (one per
// concurrent caller, kept for keep-alive) and returns it afterwards.
class AwsJsonClient {
public:
    AwsJsonClient(AwsJsonClientConfig config, std::shared_ptr<CredentialsProvider> credentials);
    ~AwsJsonClient();

    // Calls `operation` with `input` and returns the parsed output ({} for
    // an empty body). `timeout_s` overrides the HTTP total timeout (long
    // polls). Throws AwsError for an error response, TransportError when the
    // service could not be reached, both after the retries.
    nlohmann::json call(const std::string& operation, const nlohmann::json& input,
                        std::optional<double> timeout_s = std::nullopt);

    // The unsigned request call() sends; public for tests.
    HttpRequest build_request(const std::string& operation, const nlohmann::json& input) const;

    const AwsJsonClientConfig& config() const { return config_; }

private:
    HttpResponse send_once(const HttpRequest& request, std::optional<double> timeout_s);
    double next_uniform01();

    AwsJsonClientConfig config_;
    std::shared_ptr<CredentialsProvider> credentials_;
    UrlParts url_;
    std::mutex mutex_;  // guards pool_ and rng_
    std::vector<std::unique_ptr<HttpClient>> pool_;
    std::mt19937_64 rng_;
    std::string timing_name_;  // "sqs", "dynamodb": calls are timed as "sqs.SendMessage"
};

// The service part of a timed call's name: "AmazonSQS" → "sqs", "DynamoDB_20120810" → "dynamodb".
std::string timing_service_name(const std::string& target_prefix);

}  // namespace archlab::real
