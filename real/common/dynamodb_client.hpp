// Amazon DynamoDB over AWS JSON 1.0 (X-Amz-Target: DynamoDB_20120810.<Op>).
// Items and keys are DynamoDB's own AttributeValue JSON, passed through as
// is: {"execution_id": {"S": "abc"}, "submitted_at_ms": {"N": "1700000000000"}}.
// Only what the job table needs, plus table set-up for local runs.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "aws_json_client.hpp"

namespace archlab::real {

// The expression arguments of a conditional write (and of an update's SET):
// ExpressionAttributeNames ("#s" -> "status", needed for reserved words)
// and ExpressionAttributeValues (":pending" -> {"S": "pending"}).
struct DynamoDbExpression {
    std::optional<std::string> condition;  // "attribute_not_exists(execution_id)"
    nlohmann::json names = nlohmann::json::object();
    nlohmann::json values = nlohmann::json::object();
};

// Adds ConditionExpression / ExpressionAttributeNames / Values to `input`,
// leaving out the empty ones (DynamoDB rejects an empty map). Pure.
void add_expression(nlohmann::json& input, const DynamoDbExpression& expression);

// Thread-safe, like the AwsJsonClient it calls through.
class DynamoDbClient {
public:
    // `json` must target "DynamoDB_20120810" and sign as "dynamodb".
    explicit DynamoDbClient(std::shared_ptr<AwsJsonClient> json);

    // False when the condition did not hold (ConditionalCheckFailedException);
    // every other error throws AwsError.
    bool put_item(const std::string& table, const nlohmann::json& item, const DynamoDbExpression& expression = {});
    // The item, or nullopt when there is none. consistent_read sees every
    // write acknowledged before the call (costs twice the read units).
    std::optional<nlohmann::json> get_item(const std::string& table, const nlohmann::json& key,
                                           bool consistent_read = true);
    // "SET #s = :done, finished_at_ms = :t"; false when the condition failed.
    bool update_item(const std::string& table, const nlohmann::json& key, const std::string& update_expression,
                     const DynamoDbExpression& expression = {});
    // On-demand (PAY_PER_REQUEST) table with one string partition key. For
    // local set-up; on AWS tables come from the deployment template.
    void create_table(const std::string& table, const std::string& hash_key_name);
    // The "Table" object of DescribeTable (TableStatus, KeySchema, ...).
    nlohmann::json describe_table(const std::string& table);

private:
    std::shared_ptr<AwsJsonClient> json_;
};

// A DynamoDbClient for the endpoint, region and credentials of the environment.
DynamoDbClient make_dynamodb_client_from_environment(const GetenvFunction& getenv = process_getenv);

}  // namespace archlab::real
