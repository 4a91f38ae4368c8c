#include <catch2/catch.hpp>

#include "aws_test_clients.hpp"
#include "dynamodb_client.hpp"
#include "fake_http_server.hpp"

using namespace archlab::real;
using namespace archlab::real::testing;
using nlohmann::json;

namespace {

const json kKey{{"execution_id", {{"S", "e1"}}}};
const json kItem{{"execution_id", {{"S", "e1"}}}, {"status", {{"S", "pending"}}}};

CannedResponse fake_dynamodb(const RecordedRequest& request) {
    const auto target = request.header("X-Amz-Target").value_or("");
    const auto input = json::parse(request.body);
    if (input.contains("ConditionExpression") && input["ConditionExpression"] == "always_fails") {
        return aws_error_response(400, "ConditionalCheckFailedException", "The conditional request failed");
    }
    if (target == "DynamoDB_20120810.GetItem") {
        if (input["Key"]["execution_id"]["S"] == "e1") return json_response(json{{"Item", kItem}}.dump());
        return json_response("{}");
    }
    if (target == "DynamoDB_20120810.DescribeTable") {
        if (input["TableName"] == "missing") {
            return aws_error_response(400, "ResourceNotFoundException", "Requested resource not found");
        }
        return json_response(R"({"Table":{"TableName":"jobs","TableStatus":"ACTIVE"}})");
    }
    return json_response("{}");
}

}  // namespace

TEST_CASE("dynamodb: expression arguments are added only when present", "[dynamodb]") {
    json input{{"TableName", "t"}};
    add_expression(input, {});
    CHECK(input == json{{"TableName", "t"}});
    add_expression(input, {.condition = "#s = :p", .names = {{"#s", "status"}}, .values = {{":p", {{"S", "x"}}}}});
    CHECK(input["ConditionExpression"] == "#s = :p");
    CHECK(input["ExpressionAttributeNames"] == json{{"#s", "status"}});
    CHECK(input["ExpressionAttributeValues"] == json{{":p", {{"S", "x"}}}});
}

TEST_CASE("dynamodb client: requests, items and conditional failures", "[dynamodb]") {
    FakeHttpServer server(fake_dynamodb);
    DynamoDbClient dynamodb(test_json_client(server.base_url(), "DynamoDB_20120810", "dynamodb"));

    CHECK(dynamodb.put_item("jobs", kItem, {.condition = "attribute_not_exists(execution_id)"}));
    CHECK_FALSE(dynamodb.put_item("jobs", kItem, {.condition = "always_fails"}));
    CHECK(dynamodb.get_item("jobs", kKey) == kItem);
    CHECK_FALSE(dynamodb.get_item("jobs", {{"execution_id", {{"S", "nope"}}}}, false).has_value());
    CHECK(dynamodb.update_item("jobs", kKey, "SET #s = :d", {.names = {{"#s", "status"}},
                                                             .values = {{":d", {{"S", "Executed"}}}}}));
    CHECK_FALSE(dynamodb.update_item("jobs", kKey, "SET a = :a", {.condition = "always_fails",
                                                                  .values = {{":a", {{"N", "1"}}}}}));
    dynamodb.create_table("jobs", "execution_id");
    CHECK(dynamodb.describe_table("jobs")["TableStatus"] == "ACTIVE");
    CHECK_THROWS_MATCHES(dynamodb.describe_table("missing"), AwsError,
                         Catch::Predicate<AwsError>([](const AwsError& e) {
                             return e.code == "ResourceNotFoundException" && !e.retryable;
                         }));

    const auto requests = server.requests();
    REQUIRE(requests.size() == 9);
    for (const auto& request : requests) {
        CHECK(signature_matches(request, kTestCredentials, "us-east-1", "dynamodb"));
    }
    CHECK(requests[0].header("X-Amz-Target") == "DynamoDB_20120810.PutItem");
    CHECK(json::parse(requests[0].body) ==
          json{{"TableName", "jobs"}, {"Item", kItem}, {"ConditionExpression", "attribute_not_exists(execution_id)"}});
    CHECK(json::parse(requests[2].body) == json{{"TableName", "jobs"}, {"Key", kKey}, {"ConsistentRead", true}});
    CHECK(json::parse(requests[3].body)["ConsistentRead"] == false);
    CHECK(json::parse(requests[4].body) ==
          json{{"TableName", "jobs"}, {"Key", kKey}, {"UpdateExpression", "SET #s = :d"},
               {"ExpressionAttributeNames", {{"#s", "status"}}},
               {"ExpressionAttributeValues", {{":d", {{"S", "Executed"}}}}}});
    CHECK(json::parse(requests[6].body) ==
          json::parse(R"({"TableName":"jobs","BillingMode":"PAY_PER_REQUEST",
            "AttributeDefinitions":[{"AttributeName":"execution_id","AttributeType":"S"}],
            "KeySchema":[{"AttributeName":"execution_id","KeyType":"HASH"}]})"));
}

TEST_CASE("dynamodb client: other errors still throw", "[dynamodb]") {
    FakeHttpServer server([](const RecordedRequest&) {
        return aws_error_response(400, "ValidationException", "One or more parameter values were invalid");
    });
    DynamoDbClient dynamodb(test_json_client(server.base_url(), "DynamoDB_20120810", "dynamodb"));
    CHECK_THROWS_AS(dynamodb.put_item("jobs", kItem), AwsError);
    CHECK_THROWS_AS(dynamodb.update_item("jobs", kKey, "SET a = :a"), AwsError);
}
