#include "dynamodb_client.hpp"

#include <stdexcept>

namespace archlab::real {

namespace {

// A failed condition is an expected answer ("someone else got there
// first"), not a failure, so it becomes `false` instead of an exception.
bool conditional_call(AwsJsonClient& json, const std::string& operation, const nlohmann::json& input) {
    try {
        json.call(operation, input);
        return true;
    } catch (const AwsError& error) {
        if (error.code == "ConditionalCheckFailedException") return false;
        throw;
    }
}

}  // namespace

void add_expression(nlohmann::json& input, const DynamoDbExpression& expression) {
    if (expression.condition) input["ConditionExpression"] = *expression.condition;
    if (!expression.names.empty()) input["ExpressionAttributeNames"] = expression.names;
    if (!expression.values.empty()) input["ExpressionAttributeValues"] = expression.values;
}

DynamoDbClient::DynamoDbClient(std::shared_ptr<AwsJsonClient> json) : json_(std::move(json)) {
    if (!json_) throw std::invalid_argument("DynamoDbClient needs an AwsJsonClient");
}

bool DynamoDbClient::put_item(const std::string& table, const nlohmann::json& item,
                              const DynamoDbExpression& expression) {
    nlohmann::json input{{"TableName", table}, {"Item", item}};
    add_expression(input, expression);
    return conditional_call(*json_, "PutItem", input);
}

std::optional<nlohmann::json> DynamoDbClient::get_item(const std::string& table, const nlohmann::json& key,
                                                       bool consistent_read) {
    const auto output =
        json_->call("GetItem", {{"TableName", table}, {"Key", key}, {"ConsistentRead", consistent_read}});
    // No such item: the output has no "Item" at all.
    if (!output.contains("Item")) return std::nullopt;
    return output["Item"];
}

bool DynamoDbClient::update_item(const std::string& table, const nlohmann::json& key,
                                 const std::string& update_expression, const DynamoDbExpression& expression) {
    nlohmann::json input{{"TableName", table}, {"Key", key}, {"UpdateExpression", update_expression}};
    add_expression(input, expression);
    return conditional_call(*json_, "UpdateItem", input);
}

void DynamoDbClient::create_table(const std::string& table, const std::string& hash_key_name) {
    json_->call("CreateTable", {
        {"TableName", table},
        {"BillingMode", "PAY_PER_REQUEST"},
        {"AttributeDefinitions", {{{"AttributeName", hash_key_name}, {"AttributeType", "S"}}}},
        {"KeySchema", {{{"AttributeName", hash_key_name}, {"KeyType", "HASH"}}}},
    });
}

nlohmann::json DynamoDbClient::describe_table(const std::string& table) {
    const auto output = json_->call("DescribeTable", {{"TableName", table}});
    if (!output.contains("Table")) throw std::runtime_error("DescribeTable: response has no Table");
    return output["Table"];
}

DynamoDbClient make_dynamodb_client_from_environment(const GetenvFunction& getenv) {
    AwsJsonClientConfig config;
    config.endpoint = dynamodb_endpoint_from_environment(getenv);
    config.target_prefix = "DynamoDB_20120810";
    return DynamoDbClient(std::make_shared<AwsJsonClient>(
        std::move(config), std::make_shared<DefaultCredentialsChain>(getenv)));
}

}  // namespace archlab::real
