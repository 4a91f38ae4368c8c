// The real JobQueue and JobTable (job_ports.hpp) over SQS and DynamoDB.
//
// Table item (partition key execution_id):
//   {execution_id S, code S, status S, result S,
//    submitted_at_ms N, started_at_ms N, finished_at_ms N}
// with started/finished absent until the job is finished.
// Queue message body: {"executionId": "<id>"}, as the seed sends it.
//
// Both are thread-safe (AwsJsonClient pools connections), so one instance
// can serve all of a server's or worker's threads.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "aws_endpoints.hpp"
#include "job_ports.hpp"

namespace archlab::real {

struct JobBackendConfig {
    std::string queue_url;
    std::string table_name;
    // FIFO only. Unset: each job is its own message group, so jobs run in
    // parallel. Set: every job shares this group, so SQS hands out one at a
    // time (the seed's failure mode, kept to demonstrate it).
    std::optional<std::string> fixed_message_group;
};

// Endpoints and region from the environment, credentials from the default
// chain (aws_endpoints.hpp, credentials_provider.hpp). The overloads with
// `getenv` let tests supply a fake environment.
std::unique_ptr<JobQueue> make_sqs_job_queue(const JobBackendConfig& config);
std::unique_ptr<JobQueue> make_sqs_job_queue(const JobBackendConfig& config, const GetenvFunction& getenv);
std::unique_ptr<JobTable> make_dynamodb_job_table(const JobBackendConfig& config);
std::unique_ptr<JobTable> make_dynamodb_job_table(const JobBackendConfig& config, const GetenvFunction& getenv);

// Pure conversions, public for tests.
nlohmann::json job_to_item(const JobRecord& job);
// Throws JobBackendError naming the field when the item is malformed.
JobRecord job_from_item(const nlohmann::json& item);
// With sent_at_us (Unix microseconds, when the send began) the body also carries
// "sentAtUs": a worker on the same clock times the message's delivery from it.
std::string job_message_body(const std::string& execution_id, std::optional<std::int64_t> sent_at_us = std::nullopt);
// "sentAtUs" of a job message, when it has a whole number there.
std::optional<std::int64_t> sent_at_us_from_message_body(const std::string& body);
// The time a message took to reach a worker: from the later of its send's start and the
// receive call's start (a long poll waiting before the send waits for the send; a message
// already queued waits for the receive) to the receive's answer. The model's SQS latency.
double delivery_seconds(std::int64_t sent_at_us, std::int64_t receive_started_us, std::int64_t received_us);
// Throws JobBackendError when the body is not {"executionId": "<string>"}.
std::string execution_id_from_message_body(const std::string& body);
// FIFO queue URLs end in ".fifo" (SQS requires the suffix).
bool is_fifo_queue_url(const std::string& queue_url);

}  // namespace archlab::real
