// Amazon SQS over the AWS JSON 1.0 protocol (X-Amz-Target: AmazonSQS.<Op>),
// which AWS and fauxqs both speak (fauxqs has no query/XML protocol). Every
// call goes to the configured endpoint with the queue URL in the body, so a
// queue URL naming another host (fauxqs answers
// http://sqs.us-east-1.localhost:4566/...) still works.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "aws_json_client.hpp"

namespace archlab::real {

struct SqsMessage {
    std::string message_id;
    std::string receipt_handle;  // needed to delete it or change its visibility
    std::string body;
    // ApproximateReceiveCount: 1 on first delivery, +1 on each redelivery.
    int receive_count = 0;
    std::map<std::string, std::string> attributes;  // all system attributes returned
};

// The ReceiveMessage output's "Messages" as SqsMessage; pure, for tests.
// Throws std::runtime_error when a message lacks an id, handle or body.
std::vector<SqsMessage> parse_received_messages(const nlohmann::json& output);

// The ReceiveMessage input. Asks for ApproximateReceiveCount under both
// names: MessageSystemAttributeNames (current AWS name, read by fauxqs) and
// AttributeNames (deprecated, still honoured by AWS and the only one older
// emulators know).
nlohmann::json receive_message_input(const std::string& queue_url, int max_messages, int wait_time_s,
                                     std::optional<int> visibility_timeout_s);

// Thread-safe, like the AwsJsonClient it calls through.
class SqsClient {
public:
    // `json` must target "AmazonSQS" and sign as "sqs".
    explicit SqsClient(std::shared_ptr<AwsJsonClient> json);

    // Idempotent with the same attributes; returns the queue URL.
    std::string create_queue(const std::string& name, const std::map<std::string, std::string>& attributes = {});
    std::string get_queue_url(const std::string& name);
    // Returns the MessageId. FIFO queues need a group id and, without
    // content-based deduplication, a deduplication id.
    std::string send_message(const std::string& queue_url, const std::string& body,
                             const std::optional<std::string>& message_group_id = std::nullopt,
                             const std::optional<std::string>& deduplication_id = std::nullopt);
    // Long poll of up to wait_time_s (0..20); max_messages 1..10. The HTTP
    // timeout is stretched by wait_time_s so the poll is not cut off.
    std::vector<SqsMessage> receive_messages(const std::string& queue_url, int max_messages, int wait_time_s,
                                             std::optional<int> visibility_timeout_s = std::nullopt);
    void delete_message(const std::string& queue_url, const std::string& receipt_handle);
    void change_message_visibility(const std::string& queue_url, const std::string& receipt_handle,
                                   int visibility_timeout_s);
    std::map<std::string, std::string> get_queue_attributes(const std::string& queue_url,
                                                            const std::vector<std::string>& names = {"All"});

private:
    std::shared_ptr<AwsJsonClient> json_;
};

// An SqsClient for the endpoint, region and credentials of the environment
// (aws_endpoints.hpp, DefaultCredentialsChain).
SqsClient make_sqs_client_from_environment(const GetenvFunction& getenv = process_getenv);

}  // namespace archlab::real
