#include <catch2/catch.hpp>

#include <atomic>
#include <thread>

#include "aws_test_clients.hpp"
#include "fake_http_server.hpp"

using namespace archlab::real;
using namespace archlab::real::testing;
using namespace std::chrono_literals;

TEST_CASE("aws error: code after '#', message, retryable", "[aws-json]") {
    CHECK(error_code_from_type("com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException") ==
          "ConditionalCheckFailedException");
    CHECK(error_code_from_type("QueueDoesNotExist") == "QueueDoesNotExist");
    CHECK(error_code_from_type("aws.protocoltests#Bad:http://internal.amazon.com/") == "Bad");

    const auto dynamo = parse_aws_error(
        "PutItem", 400,
        R"({"__type":"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException","message":"slow down"})");
    CHECK(dynamo.code == "ProvisionedThroughputExceededException");
    CHECK(dynamo.message == "slow down");
    CHECK(dynamo.http_status == 400);
    CHECK(dynamo.retryable);
    CHECK_THAT(dynamo.what(), Catch::Contains("PutItem") && Catch::Contains("slow down"));

    const auto sqs = parse_aws_error("GetQueueUrl", 400,
                                     R"({"__type":"com.amazonaws.sqs#QueueDoesNotExist","message":"no queue"})");
    CHECK(sqs.code == "QueueDoesNotExist");
    CHECK_FALSE(sqs.retryable);

    const auto html = parse_aws_error("GetItem", 502, "<html>Bad Gateway</html>");
    CHECK(html.code == "HttpError502");
    CHECK(html.message == "<html>Bad Gateway</html>");
    CHECK(html.retryable);
    CHECK(parse_aws_error("X", 400, R"({"Message":"M","code":"ThrottlingException"})").message == "M");
}

TEST_CASE("retryable: throttling codes and 5xx, not client errors", "[aws-json]") {
    CHECK(is_retryable_error("ThrottlingException", 400));
    CHECK(is_retryable_error("RequestThrottled", 403));
    CHECK(is_retryable_error("ProvisionedThroughputExceededException", 400));
    CHECK(is_retryable_error("Anything", 500));
    CHECK(is_retryable_error("Anything", 503));
    CHECK_FALSE(is_retryable_error("ValidationException", 400));
    CHECK_FALSE(is_retryable_error("ConditionalCheckFailedException", 400));
}

TEST_CASE("backoff: full jitter under a doubling, capped ceiling", "[aws-json]") {
    const RetryPolicy policy{.max_attempts = 10, .base_delay = 100ms, .max_backoff = 1000ms};
    CHECK(backoff_delay(policy, 1, 0.5) == 50ms);
    CHECK(backoff_delay(policy, 2, 0.5) == 100ms);
    CHECK(backoff_delay(policy, 3, 0.5) == 200ms);
    CHECK(backoff_delay(policy, 4, 0.999) == 799ms);
    CHECK(backoff_delay(policy, 5, 0.999) == 999ms);  // 1600 capped to 1000
    CHECK(backoff_delay(policy, 60, 1.0) == 1000ms);  // no overflow for large attempts
    CHECK(backoff_delay(policy, 3, 0.0) == 0ms);
}

TEST_CASE("should_retry: only retryable failures, only below max_attempts", "[aws-json]") {
    const RetryPolicy policy{};  // 3 attempts, like the SDKs' standard mode
    CHECK(should_retry(policy, 1, true));
    CHECK(should_retry(policy, 2, true));
    CHECK_FALSE(should_retry(policy, 3, true));
    CHECK_FALSE(should_retry(policy, 1, false));
}

TEST_CASE("amz date: UTC, YYYYMMDDTHHMMSSZ", "[aws-json]") {
    CHECK(format_amz_date(kTestTime) == "20240501T120000Z");
    CHECK(format_amz_date(std::chrono::system_clock::time_point{}) == "19700101T000000Z");
}

TEST_CASE("json call: target header, content type, verifiable signature, body", "[aws-json]") {
    FakeHttpServer server([](const RecordedRequest&) { return json_response(R"({"QueueUrl":"q"})"); });
    AwsCredentials temporary = kTestCredentials;
    temporary.session_token = "session";
    auto client = test_json_client(server.base_url(), "AmazonSQS", "sqs", nullptr, temporary);
    const auto output = client->call("GetQueueUrl", {{"QueueName", "jobs"}});
    CHECK(output == nlohmann::json{{"QueueUrl", "q"}});

    const auto request = server.requests().at(0);
    CHECK(request.method == "POST");
    CHECK(request.target == "/");
    CHECK(request.header("X-Amz-Target") == "AmazonSQS.GetQueueUrl");
    CHECK(request.header("Content-Type") == "application/x-amz-json-1.0");
    CHECK(request.header("Host") == "127.0.0.1:" + std::to_string(server.port()));
    CHECK(request.header("X-Amz-Date") == "20240501T120000Z");
    CHECK(request.header("X-Amz-Security-Token") == "session");
    CHECK_THAT(*request.header("Authorization"),
               Catch::StartsWith("AWS4-HMAC-SHA256 Credential=AKIDTEST/20240501/us-east-1/sqs/aws4_request"));
    CHECK(signature_matches(request, temporary, "us-east-1", "sqs"));
    CHECK_FALSE(signature_matches(request, {.access_key_id = "AKIDTEST", .secret_access_key = "wrong",
                                            .session_token = "session"}, "us-east-1", "sqs"));
    CHECK(nlohmann::json::parse(request.body) == nlohmann::json{{"QueueName", "jobs"}});
}

TEST_CASE("json call: an endpoint path prefix is part of the signed target", "[aws-json]") {
    FakeHttpServer server([](const RecordedRequest&) { return json_response(""); });
    auto client = test_json_client(server.base_url() + "/prefix/", "DynamoDB_20120810", "dynamodb");
    CHECK(client->call("DescribeTable", {{"TableName", "t"}}) == nlohmann::json::object());  // empty body -> {}
    const auto request = server.requests().at(0);
    CHECK(request.target == "/prefix/");
    CHECK(signature_matches(request, kTestCredentials, "us-east-1", "dynamodb"));
}

TEST_CASE("json call: 5xx is retried with jittered backoff, then succeeds", "[aws-json]") {
    std::atomic<int> calls{0};
    FakeHttpServer server([&](const RecordedRequest&) {
        return ++calls < 3 ? aws_error_response(503, "ServiceUnavailable", "busy") : json_response("{}");
    });
    auto sleeps = std::make_shared<RecordedSleeps>();
    auto client = test_json_client(server.base_url(), "AmazonSQS", "sqs", sleeps);
    client->call("DeleteMessage", nlohmann::json::object());
    CHECK(calls == 3);
    REQUIRE(sleeps->delays.size() == 2);
    CHECK(sleeps->delays[0] <= 100ms);
    CHECK(sleeps->delays[1] <= 200ms);

    // Same seed, same jitter: the schedule is reproducible.
    calls = 0;
    auto again = std::make_shared<RecordedSleeps>();
    test_json_client(server.base_url(), "AmazonSQS", "sqs", again)->call("DeleteMessage", nlohmann::json::object());
    CHECK(again->delays == sleeps->delays);
}

TEST_CASE("json call: throttling gives up after max_attempts with the AwsError", "[aws-json]") {
    FakeHttpServer server([](const RecordedRequest&) {
        return aws_error_response(400, "ThrottlingException", "Rate exceeded");
    });
    auto client = test_json_client(server.base_url(), "AmazonSQS", "sqs");
    try {
        client->call("SendMessage", nlohmann::json::object());
        FAIL("expected AwsError");
    } catch (const AwsError& error) {
        CHECK(error.code == "ThrottlingException");
        CHECK(error.retryable);
        CHECK(error.http_status == 400);
    }
    CHECK(server.requests().size() == 3);
}

TEST_CASE("json call: a client error is not retried", "[aws-json]") {
    FakeHttpServer server([](const RecordedRequest&) {
        return aws_error_response(400, "ValidationException", "bad input");
    });
    auto client = test_json_client(server.base_url(), "DynamoDB_20120810", "dynamodb");
    CHECK_THROWS_MATCHES(client->call("PutItem", nlohmann::json::object()), AwsError,
                         Catch::Predicate<AwsError>([](const AwsError& e) {
                             return e.code == "ValidationException" && e.message == "bad input" && !e.retryable;
                         }));
    CHECK(server.requests().size() == 1);
}

TEST_CASE("json call: timeouts are retried, then the TransportError surfaces", "[aws-json]") {
    FakeHttpServer server([](const RecordedRequest&) {
        return CannedResponse{.body = "{}", .delay = 600ms};
    });
    auto client = test_json_client(server.base_url(), "AmazonSQS", "sqs");
    CHECK_THROWS_AS(client->call("ReceiveMessage", nlohmann::json::object(), 0.2), TransportError);
    CHECK(server.requests().size() == 3);
}

TEST_CASE("json call: thread-safe, one pooled connection per concurrent caller", "[aws-json]") {
    FakeHttpServer server([](const RecordedRequest& request) { return json_response(request.body); });
    auto client = test_json_client(server.base_url(), "AmazonSQS", "sqs");
    std::atomic<int> correct{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < 25; ++i) {
                const nlohmann::json input{{"thread", t}, {"i", i}};
                if (client->call("Echo", input) == input) ++correct;
            }
        });
    }
    for (auto& thread : threads) thread.join();
    CHECK(correct == 100);
    CHECK(server.connections_accepted() <= 4);
}
