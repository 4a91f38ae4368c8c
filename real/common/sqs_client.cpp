#include "sqs_client.hpp"

#include <stdexcept>

namespace archlab::real {

namespace {

std::string required_string(const nlohmann::json& object, const char* name, const char* operation) {
    if (!object.contains(name) || !object[name].is_string()) {
        throw std::runtime_error(std::string(operation) + ": response has no " + name);
    }
    return object[name].get<std::string>();
}

}  // namespace

std::vector<SqsMessage> parse_received_messages(const nlohmann::json& output) {
    std::vector<SqsMessage> messages;
    // No messages: AWS omits "Messages"; some emulators send [].
    if (!output.contains("Messages")) return messages;
    for (const auto& item : output.at("Messages")) {
        SqsMessage message;
        message.message_id = required_string(item, "MessageId", "ReceiveMessage");
        message.receipt_handle = required_string(item, "ReceiptHandle", "ReceiveMessage");
        message.body = required_string(item, "Body", "ReceiveMessage");
        if (item.contains("Attributes") && item["Attributes"].is_object()) {
            for (const auto& [name, value] : item["Attributes"].items()) {
                // SQS sends every attribute value as a string, numbers included.
                message.attributes[name] = value.is_string() ? value.get<std::string>() : value.dump();
            }
        }
        if (const auto count = message.attributes.find("ApproximateReceiveCount"); count != message.attributes.end()) {
            message.receive_count = std::stoi(count->second);
        }
        messages.push_back(std::move(message));
    }
    return messages;
}

nlohmann::json receive_message_input(const std::string& queue_url, int max_messages, int wait_time_s,
                                     std::optional<int> visibility_timeout_s) {
    if (max_messages < 1 || max_messages > 10) throw std::invalid_argument("max_messages must be 1..10");
    if (wait_time_s < 0 || wait_time_s > 20) throw std::invalid_argument("wait_time_s must be 0..20");
    nlohmann::json input{
        {"QueueUrl", queue_url},
        {"MaxNumberOfMessages", max_messages},
        {"WaitTimeSeconds", wait_time_s},
        {"MessageSystemAttributeNames", {"ApproximateReceiveCount"}},
        {"AttributeNames", {"ApproximateReceiveCount"}},
    };
    if (visibility_timeout_s) input["VisibilityTimeout"] = *visibility_timeout_s;
    return input;
}

SqsClient::SqsClient(std::shared_ptr<AwsJsonClient> json) : json_(std::move(json)) {
    if (!json_) throw std::invalid_argument("SqsClient needs an AwsJsonClient");
}

std::string SqsClient::create_queue(const std::string& name, const std::map<std::string, std::string>& attributes) {
    nlohmann::json input{{"QueueName", name}};
    if (!attributes.empty()) input["Attributes"] = attributes;
    return required_string(json_->call("CreateQueue", input), "QueueUrl", "CreateQueue");
}

std::string SqsClient::get_queue_url(const std::string& name) {
    return required_string(json_->call("GetQueueUrl", {{"QueueName", name}}), "QueueUrl", "GetQueueUrl");
}

std::string SqsClient::send_message(const std::string& queue_url, const std::string& body,
                                    const std::optional<std::string>& message_group_id,
                                    const std::optional<std::string>& deduplication_id) {
    nlohmann::json input{{"QueueUrl", queue_url}, {"MessageBody", body}};
    if (message_group_id) input["MessageGroupId"] = *message_group_id;
    if (deduplication_id) input["MessageDeduplicationId"] = *deduplication_id;
    return required_string(json_->call("SendMessage", input), "MessageId", "SendMessage");
}

std::vector<SqsMessage> SqsClient::receive_messages(const std::string& queue_url, int max_messages,
                                                    int wait_time_s, std::optional<int> visibility_timeout_s) {
    const auto input = receive_message_input(queue_url, max_messages, wait_time_s, visibility_timeout_s);
    const double timeout_s = json_->config().http.timeout_s + wait_time_s;
    return parse_received_messages(json_->call("ReceiveMessage", input, timeout_s));
}

void SqsClient::delete_message(const std::string& queue_url, const std::string& receipt_handle) {
    json_->call("DeleteMessage", {{"QueueUrl", queue_url}, {"ReceiptHandle", receipt_handle}});
}

void SqsClient::change_message_visibility(const std::string& queue_url, const std::string& receipt_handle,
                                          int visibility_timeout_s) {
    json_->call("ChangeMessageVisibility", {{"QueueUrl", queue_url},
                                            {"ReceiptHandle", receipt_handle},
                                            {"VisibilityTimeout", visibility_timeout_s}});
}

std::map<std::string, std::string> SqsClient::get_queue_attributes(const std::string& queue_url,
                                                                   const std::vector<std::string>& names) {
    const auto output = json_->call("GetQueueAttributes", {{"QueueUrl", queue_url}, {"AttributeNames", names}});
    std::map<std::string, std::string> attributes;
    if (output.contains("Attributes")) {
        for (const auto& [name, value] : output["Attributes"].items()) {
            attributes[name] = value.is_string() ? value.get<std::string>() : value.dump();
        }
    }
    return attributes;
}

SqsClient make_sqs_client_from_environment(const GetenvFunction& getenv) {
    AwsJsonClientConfig config;
    config.endpoint = sqs_endpoint_from_environment(getenv);
    config.target_prefix = "AmazonSQS";
    return SqsClient(std::make_shared<AwsJsonClient>(
        std::move(config), std::make_shared<DefaultCredentialsChain>(getenv)));
}

}  // namespace archlab::real
