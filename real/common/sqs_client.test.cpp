#include <catch2/catch.hpp>

#include "aws_test_clients.hpp"
#include "fake_http_server.hpp"
#include "sqs_client.hpp"

using namespace archlab::real;
using namespace archlab::real::testing;
using nlohmann::json;

namespace {

// Canned answers per operation, shaped like AWS's JSON protocol responses.
CannedResponse fake_sqs(const RecordedRequest& request) {
    const auto target = request.header("X-Amz-Target").value_or("");
    if (target == "AmazonSQS.CreateQueue") return json_response(R"({"QueueUrl":"http://sqs.local/000/jobs"})");
    if (target == "AmazonSQS.GetQueueUrl") {
        if (json::parse(request.body)["QueueName"] == "missing") {
            return aws_error_response(400, "QueueDoesNotExist", "The specified queue does not exist.");
        }
        return json_response(R"({"QueueUrl":"http://sqs.local/000/jobs"})");
    }
    if (target == "AmazonSQS.SendMessage") return json_response(R"({"MessageId":"m-1","MD5OfMessageBody":"x"})");
    if (target == "AmazonSQS.ReceiveMessage") {
        return json_response(R"({"Messages":[
            {"MessageId":"m-1","ReceiptHandle":"rh-1","MD5OfBody":"x","Body":"{\"executionId\":\"e1\"}",
             "Attributes":{"ApproximateReceiveCount":"3","SentTimestamp":"1714564800000"}},
            {"MessageId":"m-2","ReceiptHandle":"rh-2","MD5OfBody":"y","Body":"plain"}]})");
    }
    if (target == "AmazonSQS.GetQueueAttributes") {
        return json_response(R"({"Attributes":{"ApproximateNumberOfMessages":"5","VisibilityTimeout":"30"}})");
    }
    return json_response("{}");  // DeleteMessage, ChangeMessageVisibility
}

json body_of(const RecordedRequest& request) { return json::parse(request.body); }

}  // namespace

TEST_CASE("sqs: receive input asks for the receive count under both attribute names", "[sqs]") {
    const auto input = receive_message_input("http://q", 10, 20, 0);
    CHECK(input["QueueUrl"] == "http://q");
    CHECK(input["MaxNumberOfMessages"] == 10);
    CHECK(input["WaitTimeSeconds"] == 20);
    CHECK(input["VisibilityTimeout"] == 0);
    CHECK(input["MessageSystemAttributeNames"] == json::array({"ApproximateReceiveCount"}));
    CHECK(input["AttributeNames"] == json::array({"ApproximateReceiveCount"}));
    CHECK_FALSE(receive_message_input("http://q", 1, 0, std::nullopt).contains("VisibilityTimeout"));
    CHECK_THROWS_AS(receive_message_input("http://q", 11, 0, std::nullopt), std::invalid_argument);
    CHECK_THROWS_AS(receive_message_input("http://q", 1, 21, std::nullopt), std::invalid_argument);
}

TEST_CASE("sqs: parse received messages, with and without attributes", "[sqs]") {
    CHECK(parse_received_messages(json::object()).empty());
    CHECK(parse_received_messages({{"Messages", json::array()}}).empty());
    const auto messages = parse_received_messages(json::parse(fake_sqs({.method = "POST", .target = "/",
        .headers = {{"X-Amz-Target", "AmazonSQS.ReceiveMessage"}}, .body = "{}"}).body));
    REQUIRE(messages.size() == 2);
    CHECK(messages[0].message_id == "m-1");
    CHECK(messages[0].receipt_handle == "rh-1");
    CHECK(messages[0].body == R"({"executionId":"e1"})");
    CHECK(messages[0].receive_count == 3);
    CHECK(messages[0].attributes.at("SentTimestamp") == "1714564800000");
    CHECK(messages[1].receive_count == 0);
    CHECK_THROWS(parse_received_messages(json::parse(R"({"Messages":[{"MessageId":"m"}]})")));
}

TEST_CASE("sqs client: every operation sends the documented JSON request", "[sqs]") {
    FakeHttpServer server(fake_sqs);
    SqsClient sqs(test_json_client(server.base_url(), "AmazonSQS", "sqs"));

    CHECK(sqs.create_queue("jobs.fifo", {{"FifoQueue", "true"}}) == "http://sqs.local/000/jobs");
    CHECK(sqs.get_queue_url("jobs") == "http://sqs.local/000/jobs");
    CHECK(sqs.send_message("http://q", "hello", "g1", "d1") == "m-1");
    CHECK(sqs.send_message("http://q", "plain") == "m-1");
    CHECK(sqs.receive_messages("http://q", 5, 1, 30).size() == 2);
    sqs.delete_message("http://q", "rh-1");
    sqs.change_message_visibility("http://q", "rh-2", 60);
    CHECK(sqs.get_queue_attributes("http://q").at("ApproximateNumberOfMessages") == "5");

    const auto requests = server.requests();
    REQUIRE(requests.size() == 8);
    for (const auto& request : requests) CHECK(signature_matches(request, kTestCredentials, "us-east-1", "sqs"));
    CHECK(body_of(requests[0]) == json{{"QueueName", "jobs.fifo"}, {"Attributes", {{"FifoQueue", "true"}}}});
    CHECK(body_of(requests[1]) == json{{"QueueName", "jobs"}});
    CHECK(requests[2].header("X-Amz-Target") == "AmazonSQS.SendMessage");
    CHECK(body_of(requests[2]) == json{{"QueueUrl", "http://q"}, {"MessageBody", "hello"},
                                       {"MessageGroupId", "g1"}, {"MessageDeduplicationId", "d1"}});
    CHECK(body_of(requests[3]) == json{{"QueueUrl", "http://q"}, {"MessageBody", "plain"}});
    CHECK(body_of(requests[4])["VisibilityTimeout"] == 30);
    CHECK(body_of(requests[5]) == json{{"QueueUrl", "http://q"}, {"ReceiptHandle", "rh-1"}});
    CHECK(body_of(requests[6]) == json{{"QueueUrl", "http://q"}, {"ReceiptHandle", "rh-2"}, {"VisibilityTimeout", 60}});
    CHECK(body_of(requests[7]) == json{{"QueueUrl", "http://q"}, {"AttributeNames", {"All"}}});
}

TEST_CASE("sqs client: errors carry the SQS code", "[sqs]") {
    FakeHttpServer server(fake_sqs);
    SqsClient sqs(test_json_client(server.base_url(), "AmazonSQS", "sqs"));
    CHECK_THROWS_MATCHES(sqs.get_queue_url("missing"), AwsError,
                         Catch::Predicate<AwsError>([](const AwsError& e) { return e.code == "QueueDoesNotExist"; }));
}

TEST_CASE("sqs client: a long poll may outlast the normal HTTP timeout", "[sqs]") {
    // The test client's timeout_s is 2 s; the answer comes after 2.5 s, as a
    // long poll's would, and must not be cut off.
    FakeHttpServer server([](const RecordedRequest&) {
        return CannedResponse{.body = "{}", .delay = std::chrono::milliseconds(2500)};
    });
    SqsClient sqs(test_json_client(server.base_url(), "AmazonSQS", "sqs"));
    CHECK(sqs.receive_messages("http://q", 1, 3).empty());
    CHECK(server.requests().size() == 1);
}
