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
std::string job_message_body(const std::string& execution_id);
// Throws JobBackendError when the body is not {"executionId": "<string>"}.
std::string execution_id_from_message_body(const std::string& body);
// FIFO queue URLs end in ".fifo" (SQS requires the suffix).
bool is_fifo_queue_url(const std::string& queue_url);

}  // namespace archlab::real
