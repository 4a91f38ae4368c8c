#include <catch2/catch.hpp>

#include <map>
#include <mutex>

#include "fake_environment.hpp"
#include "fake_http_server.hpp"
#include "job_backends.hpp"

using namespace archlab::real;
using namespace archlab::real::testing;
using nlohmann::json;

namespace {

// Just enough SQS and DynamoDB state to exercise the ports end to end: it
// applies the job table's two conditions the way DynamoDB does.
struct FakeAws {
    std::mutex mutex;
    std::map<std::string, json> items;
    std::vector<json> sent;

    CannedResponse operator()(const RecordedRequest& request) {
        std::lock_guard lock(mutex);
        const auto target = request.header("X-Amz-Target").value_or("");
        const auto input = json::parse(request.body);
        if (target == "AmazonSQS.SendMessage") {
            sent.push_back(input);
            return json_response(R"({"MessageId":"m"})");
        }
        if (target == "AmazonSQS.ReceiveMessage") {
            json messages = json::array();
            for (std::size_t i = 0; i < sent.size(); ++i) {
                messages.push_back({{"MessageId", "m"}, {"ReceiptHandle", "rh-" + std::to_string(i)},
                                    {"Body", sent[i]["MessageBody"]},
                                    {"Attributes", {{"ApproximateReceiveCount", "2"}}}});
            }
            messages.push_back({{"MessageId", "x"}, {"ReceiptHandle", "rh-x"}, {"Body", "not a job"}});
            return json_response(json{{"Messages", messages}}.dump());
        }
        const std::string id = input.contains("Item") ? input["Item"]["execution_id"]["S"].get<std::string>()
                               : input.contains("Key") ? input["Key"]["execution_id"]["S"].get<std::string>()
                                                       : "";
        const auto conditional_failure = [] {
            return aws_error_response(400, "ConditionalCheckFailedException", "The conditional request failed");
        };
        if (target == "DynamoDB_20120810.PutItem") {
            if (items.count(id)) return conditional_failure();
            items[id] = input["Item"];
            return json_response("{}");
        }
        if (target == "DynamoDB_20120810.GetItem") {
            return json_response(items.count(id) ? json{{"Item", items[id]}}.dump() : "{}");
        }
        if (target == "DynamoDB_20120810.UpdateItem") {
            const auto& values = input["ExpressionAttributeValues"];
            if (!items.count(id) || items[id]["status"] != values[":pending"]) return conditional_failure();
            auto& item = items[id];
            item["status"] = values[":status"];
            item["result"] = values[":result"];
            item["started_at_ms"] = values[":started"];
            item["finished_at_ms"] = values[":finished"];
            return json_response("{}");
        }
        if (target == "AmazonSQS.DeleteMessage" || target == "AmazonSQS.ChangeMessageVisibility") {
            return json_response("{}");
        }
        return aws_error_response(400, "UnknownOperationException", target);
    }
};

auto fake_environment(const FakeHttpServer& server) {
    return environment({{"AWS_REGION", "us-east-1"}, {"AWS_ACCESS_KEY_ID", "AKID"}, {"AWS_SECRET_ACCESS_KEY", "S"},
                        {"AWS_ENDPOINT_URL", server.base_url()}});
}

}  // namespace

TEST_CASE("job status: the seed's wire strings", "[jobs]") {
    CHECK(to_string(JobStatus::pending) == "pending");
    CHECK(to_string(JobStatus::executed) == "Executed");
    CHECK(to_string(JobStatus::failed) == "failed");
    for (auto status : {JobStatus::pending, JobStatus::executed, JobStatus::failed}) {
        CHECK(job_status_from_string(to_string(status)) == status);
    }
    CHECK_FALSE(job_status_from_string("executed").has_value());
}

TEST_CASE("job item: round trip, optional times left out", "[jobs]") {
    JobRecord job{.execution_id = "e1", .code = "1+1", .status = JobStatus::pending, .result = "",
                  .submitted_at_ms = 1714564800123, .started_at_ms = std::nullopt, .finished_at_ms = std::nullopt};
    const auto item = job_to_item(job);
    CHECK(item == json::parse(R"({"execution_id":{"S":"e1"},"code":{"S":"1+1"},"status":{"S":"pending"},
                                  "result":{"S":""},"submitted_at_ms":{"N":"1714564800123"}})"));
    job.status = JobStatus::executed;
    job.started_at_ms = 1714564801000;
    job.finished_at_ms = 1714564802000;
    const auto back = job_from_item(job_to_item(job));
    CHECK(back.execution_id == "e1");
    CHECK(back.status == JobStatus::executed);
    CHECK(back.started_at_ms == 1714564801000);
    CHECK(back.finished_at_ms == 1714564802000);
    CHECK_THROWS_AS(job_from_item(json::parse(R"({"execution_id":{"S":"e"},"code":{"S":"c"},"status":{"S":"odd"}})")),
                    JobBackendError);
    CHECK_THROWS_AS(job_from_item(json::parse(R"({"execution_id":{"N":"1"}})")), JobBackendError);
}

TEST_CASE("job message: the seed's body, fifo detection", "[jobs]") {
    CHECK(job_message_body("e1") == R"({"executionId":"e1"})");
    CHECK(execution_id_from_message_body(R"({"executionId":"e1"})") == "e1");
    CHECK(job_message_body("e1", 1700000000123456) == R"({"executionId":"e1","sentAtUs":1700000000123456})");
    CHECK(execution_id_from_message_body(job_message_body("e1", 5)) == "e1");
    CHECK(sent_at_us_from_message_body(job_message_body("e1", 5)) == 5);
    CHECK(!sent_at_us_from_message_body(R"({"executionId":"e1"})"));
    CHECK(!sent_at_us_from_message_body(R"({"executionId":"e1","sentAtUs":"soon"})"));
    CHECK(!sent_at_us_from_message_body("not json"));
    // Delivery: from the later of send and receive start. A poll waiting since 1000 µs for a
    // message sent at 5000 µs, answered at 6500 µs: 1.5 ms; a message queued before the receive
    // started at 9000 µs, answered at 9800 µs: 0.8 ms.
    CHECK(delivery_seconds(5000, 1000, 6500) == Approx(0.0015));
    CHECK(delivery_seconds(2000, 9000, 9800) == Approx(0.0008));
    CHECK(delivery_seconds(9000, 1000, 8000) == 0);  // clocks never make it negative
    CHECK_THROWS_AS(execution_id_from_message_body("e1"), JobBackendError);
    CHECK(is_fifo_queue_url("http://sqs/000/jobs.fifo"));
    CHECK_FALSE(is_fifo_queue_url("http://sqs/000/jobs"));
}

TEST_CASE("job table over DynamoDB: create once, get, finish only while pending", "[jobs]") {
    FakeAws aws;
    FakeHttpServer server(std::ref(aws));
    auto table = make_dynamodb_job_table({.queue_url = {}, .table_name = "jobs", .fixed_message_group = {}},
                                         fake_environment(server));
    const JobRecord job{.execution_id = "e1", .code = "print(1)", .status = JobStatus::pending, .result = "",
                        .submitted_at_ms = 1000, .started_at_ms = std::nullopt, .finished_at_ms = std::nullopt};
    table->create(job);
    table->create(job);  // the same job again (a retried put whose answer was lost) is not an error
    JobRecord other = job;
    other.code = "different";
    CHECK_THROWS_AS(table->create(other), JobBackendError);
    CHECK(table->get("e1")->status == JobStatus::pending);
    CHECK_FALSE(table->get("nope").has_value());

    CHECK(table->finish_if_pending("e1", JobStatus::executed, "1", 2000, 3000));
    CHECK(table->finish_if_pending("e1", JobStatus::executed, "1", 2000, 3000));  // own write, retried
    CHECK_FALSE(table->finish_if_pending("e1", JobStatus::failed, "timeout", 2000, 4000));
    const auto done = table->get("e1");
    CHECK(done->status == JobStatus::executed);
    CHECK(done->result == "1");
    CHECK(done->finished_at_ms == 3000);

    json update;
    for (const auto& request : server.requests()) {
        if (request.header("X-Amz-Target") == "DynamoDB_20120810.UpdateItem") update = json::parse(request.body);
    }
    CHECK(update["ConditionExpression"] == "#s = :pending");
    CHECK(update["ExpressionAttributeNames"] == json{{"#s", "status"}, {"#r", "result"}});
}

TEST_CASE("job queue over SQS: FIFO ids and groups, receive, peek", "[jobs]") {
    FakeAws aws;
    FakeHttpServer server(std::ref(aws));
    const auto env = fake_environment(server);
    make_sqs_job_queue({.queue_url = "http://q/jobs.fifo", .table_name = {}, .fixed_message_group = {}}, env)
        ->send("e1");
    make_sqs_job_queue({.queue_url = "http://q/jobs.fifo", .table_name = {}, .fixed_message_group = "all"}, env)
        ->send("e2");
    auto standard = make_sqs_job_queue({.queue_url = "http://q/jobs", .table_name = {}, .fixed_message_group = {}}, env);
    standard->send("e3");
    REQUIRE(aws.sent.size() == 3);
    CHECK(aws.sent[0]["MessageGroupId"] == "e1");
    CHECK(aws.sent[0]["MessageDeduplicationId"] == "e1");
    CHECK(aws.sent[1]["MessageGroupId"] == "all");
    CHECK(aws.sent[1]["MessageDeduplicationId"] == "e2");
    CHECK_FALSE(aws.sent[2].contains("MessageGroupId"));
    // The id, and when the send began (the worker times the delivery from it).
    const auto body = aws.sent[2]["MessageBody"].get<std::string>();
    CHECK(execution_id_from_message_body(body) == "e3");
    CHECK(sent_at_us_from_message_body(body).value_or(0) > 1'600'000'000'000'000);

    const auto jobs = standard->receive(10, 0);  // the foreign message is skipped
    REQUIRE(jobs.size() == 3);
    CHECK(jobs[0].execution_id == "e1");
    CHECK(jobs[0].receipt_handle == "rh-0");
    CHECK(jobs[0].receive_count == 2);
    standard->remove("rh-0");
    standard->extend_visibility("rh-1", 45);
    CHECK(standard->peek_ids(10) == std::vector<std::string>{"e1", "e2", "e3"});
    const auto peek = json::parse(server.requests().back().body);
    CHECK(peek["VisibilityTimeout"] == 0);
    CHECK(peek["WaitTimeSeconds"] == 0);
}

TEST_CASE("job ports: backend failures become JobBackendError", "[jobs]") {
    FakeHttpServer server([](const RecordedRequest&) {
        return aws_error_response(400, "AccessDeniedException", "not allowed");
    });
    const auto env = fake_environment(server);
    auto queue = make_sqs_job_queue({.queue_url = "http://q/jobs", .table_name = "jobs", .fixed_message_group = {}}, env);
    auto table = make_dynamodb_job_table({.queue_url = {}, .table_name = "jobs", .fixed_message_group = {}}, env);
    CHECK_THROWS_WITH(queue->send("e1"), Catch::Contains("AccessDeniedException"));
    CHECK_THROWS_AS(table->get("e1"), JobBackendError);
    CHECK_THROWS_AS(make_sqs_job_queue({}, environment({})), std::runtime_error);  // no region: clear error at start
}
