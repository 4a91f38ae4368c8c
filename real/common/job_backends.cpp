#include "job_backends.hpp"

#include <algorithm>
#include <chrono>

#include "call_timings.hpp"

#include <exception>
#include <utility>

#include "dynamodb_client.hpp"
#include "sqs_client.hpp"

namespace archlab::real {

namespace {

using nlohmann::json;

json string_value(const std::string& text) { return {{"S", text}}; }
json number_value(std::int64_t number) { return {{"N", std::to_string(number)}}; }

std::string item_string(const json& item, const char* name) {
    if (!item.contains(name) || !item[name].contains("S") || !item[name]["S"].is_string()) {
        throw JobBackendError(std::string("job item has no string attribute ") + name);
    }
    return item[name]["S"].get<std::string>();
}

std::optional<std::int64_t> item_number(const json& item, const char* name) {
    if (!item.contains(name)) return std::nullopt;
    if (!item[name].contains("N") || !item[name]["N"].is_string()) {
        throw JobBackendError(std::string("job item attribute ") + name + " is not a number");
    }
    try {
        return std::stoll(item[name]["N"].get<std::string>());
    } catch (const std::exception&) {
        throw JobBackendError(std::string("job item attribute ") + name + " is not an integer");
    }
}

std::int64_t unix_now_us() {
    return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::optional<std::string> id_or_nothing(const std::string& body) {
    try {
        return execution_id_from_message_body(body);
    } catch (const JobBackendError&) {
        return std::nullopt;
    }
}

// Every AWS or network failure leaves the port as JobBackendError, which is
// what the API and worker are written to handle.
template <typename Action>
auto translated(const char* what, Action&& action) -> decltype(action()) {
    try {
        return action();
    } catch (const JobBackendError&) {
        throw;
    } catch (const std::exception& error) {
        throw JobBackendError(std::string(what) + ": " + error.what());
    }
}

class SqsJobQueue : public JobQueue {
public:
    SqsJobQueue(SqsClient client, JobBackendConfig config) : client_(std::move(client)), config_(std::move(config)) {}

    void send(const std::string& execution_id) override {
        translated("queue send", [&] {
            std::optional<std::string> group, deduplication;
            if (is_fifo_queue_url(config_.queue_url)) {
                group = config_.fixed_message_group.value_or(execution_id);
                deduplication = execution_id;  // a retried send is delivered once
            }
            client_.send_message(config_.queue_url, job_message_body(execution_id, unix_now_us()), group, deduplication);
        });
    }

    std::vector<QueuedJob> receive(int max_messages, int wait_time_s) override {
        return translated("queue receive", [&] {
            std::vector<QueuedJob> jobs;
            const std::int64_t receive_started_us = unix_now_us();
            auto messages = client_.receive_messages(config_.queue_url, max_messages, wait_time_s);
            const std::int64_t received_us = unix_now_us();
            for (auto& message : messages) {
                if (auto sent_at_us = sent_at_us_from_message_body(message.body))
                    process_call_timings().record("sqs.delivery", delivery_seconds(*sent_at_us, receive_started_us, received_us));
                // A foreign message is skipped rather than failing the batch:
                // it reappears after its visibility timeout and the queue's
                // redrive policy moves it to the dead-letter queue.
                if (auto id = id_or_nothing(message.body)) {
                    jobs.push_back({.execution_id = std::move(*id),
                                    .receipt_handle = std::move(message.receipt_handle),
                                    .receive_count = message.receive_count});
                }
            }
            return jobs;
        });
    }

    void remove(const std::string& receipt_handle) override {
        translated("queue delete", [&] { client_.delete_message(config_.queue_url, receipt_handle); });
    }

    void extend_visibility(const std::string& receipt_handle, int visibility_timeout_s) override {
        translated("queue change visibility", [&] {
            client_.change_message_visibility(config_.queue_url, receipt_handle, visibility_timeout_s);
        });
    }

    std::vector<std::string> peek_ids(int max_messages) override {
        return translated("queue peek", [&] {
            std::vector<std::string> ids;
            for (const auto& message : client_.receive_messages(config_.queue_url, max_messages, 0, 0)) {
                if (auto id = id_or_nothing(message.body)) ids.push_back(std::move(*id));
            }
            return ids;
        });
    }

private:
    SqsClient client_;
    JobBackendConfig config_;
};

class DynamoDbJobTable : public JobTable {
public:
    DynamoDbJobTable(DynamoDbClient client, JobBackendConfig config)
        : client_(std::move(client)), config_(std::move(config)) {}

    void create(const JobRecord& job) override {
        translated("table create", [&] {
            const DynamoDbExpression new_only{.condition = "attribute_not_exists(execution_id)"};
            if (client_.put_item(config_.table_name, job_to_item(job), new_only)) return;
            // The put may have landed on an attempt whose answer was lost and
            // been retried: then the item found is this very job.
            const auto existing = read(job.execution_id);
            if (existing && existing->code == job.code && existing->submitted_at_ms == job.submitted_at_ms) return;
            throw JobBackendError("job " + job.execution_id + " already exists");
        });
    }

    std::optional<JobRecord> get(const std::string& execution_id) override {
        return translated("table get", [&] { return read(execution_id); });
    }

    bool finish_if_pending(const std::string& execution_id, JobStatus status, const std::string& result,
                           std::int64_t started_at_ms, std::int64_t finished_at_ms) override {
        return translated("table finish", [&] {
            // status and result are DynamoDB reserved words, hence #s and #r.
            const DynamoDbExpression while_pending{
                .condition = "#s = :pending",
                .names = {{"#s", "status"}, {"#r", "result"}},
                .values = {{":pending", string_value(to_string(JobStatus::pending))},
                           {":status", string_value(to_string(status))},
                           {":result", string_value(result)},
                           {":started", number_value(started_at_ms)},
                           {":finished", number_value(finished_at_ms)}}};
            if (client_.update_item(config_.table_name, key(execution_id),
                                    "SET #s = :status, #r = :result, started_at_ms = :started, "
                                    "finished_at_ms = :finished",
                                    while_pending)) {
                return true;
            }
            // Same lost-answer retry as in create: our own write counts as ours.
            const auto now = read(execution_id);
            return now && now->status == status && now->result == result && now->finished_at_ms == finished_at_ms &&
                   now->started_at_ms == started_at_ms;
        });
    }

private:
    static json key(const std::string& execution_id) { return {{"execution_id", string_value(execution_id)}}; }

    std::optional<JobRecord> read(const std::string& execution_id) {
        auto item = client_.get_item(config_.table_name, key(execution_id), /*consistent_read=*/true);
        if (!item) return std::nullopt;
        return job_from_item(*item);
    }

    DynamoDbClient client_;
    JobBackendConfig config_;
};

}  // namespace

std::string to_string(JobStatus status) {
    switch (status) {
        case JobStatus::pending: return "pending";
        case JobStatus::executed: return "Executed";  // capitalised in the seed; clients match it
        case JobStatus::failed: return "failed";
    }
    return "unknown";
}

std::optional<JobStatus> job_status_from_string(const std::string& text) {
    for (auto status : {JobStatus::pending, JobStatus::executed, JobStatus::failed}) {
        if (text == to_string(status)) return status;
    }
    return std::nullopt;
}

json job_to_item(const JobRecord& job) {
    json item{{"execution_id", string_value(job.execution_id)},
              {"code", string_value(job.code)},
              {"status", string_value(to_string(job.status))},
              {"result", string_value(job.result)},
              {"submitted_at_ms", number_value(job.submitted_at_ms)}};
    if (job.started_at_ms) item["started_at_ms"] = number_value(*job.started_at_ms);
    if (job.finished_at_ms) item["finished_at_ms"] = number_value(*job.finished_at_ms);
    return item;
}

JobRecord job_from_item(const json& item) {
    JobRecord job;
    job.execution_id = item_string(item, "execution_id");
    job.code = item_string(item, "code");
    const auto status_text = item_string(item, "status");
    const auto status = job_status_from_string(status_text);
    if (!status) throw JobBackendError("job item has unknown status '" + status_text + "'");
    job.status = *status;
    // A result is written only when the job finishes; a pending item made by
    // another tool may lack it.
    job.result = item.contains("result") ? item_string(item, "result") : std::string();
    job.submitted_at_ms = item_number(item, "submitted_at_ms").value_or(0);
    job.started_at_ms = item_number(item, "started_at_ms");
    job.finished_at_ms = item_number(item, "finished_at_ms");
    return job;
}

std::string job_message_body(const std::string& execution_id, std::optional<std::int64_t> sent_at_us) {
    json body{{"executionId", execution_id}};
    if (sent_at_us) body["sentAtUs"] = *sent_at_us;
    return body.dump();
}

std::optional<std::int64_t> sent_at_us_from_message_body(const std::string& body) {
    const auto parsed = json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (!parsed.is_object() || !parsed.contains("sentAtUs") || !parsed["sentAtUs"].is_number_integer()) return std::nullopt;
    return parsed["sentAtUs"].get<std::int64_t>();
}

double delivery_seconds(std::int64_t sent_at_us, std::int64_t receive_started_us, std::int64_t received_us) {
    return std::max<std::int64_t>(0, received_us - std::max(sent_at_us, receive_started_us)) / 1e6;
}

std::string execution_id_from_message_body(const std::string& body) {
    const auto parsed = json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (!parsed.is_object() || !parsed.contains("executionId") || !parsed["executionId"].is_string()) {
        throw JobBackendError("queue message is not {\"executionId\": \"...\"}: " + body.substr(0, 200));
    }
    return parsed["executionId"].get<std::string>();
}

bool is_fifo_queue_url(const std::string& queue_url) {
    return queue_url.size() >= 5 && queue_url.compare(queue_url.size() - 5, 5, ".fifo") == 0;
}

std::unique_ptr<JobQueue> make_sqs_job_queue(const JobBackendConfig& config) {
    return make_sqs_job_queue(config, process_getenv);
}

std::unique_ptr<JobQueue> make_sqs_job_queue(const JobBackendConfig& config, const GetenvFunction& getenv) {
    return std::make_unique<SqsJobQueue>(make_sqs_client_from_environment(getenv), config);
}

std::unique_ptr<JobTable> make_dynamodb_job_table(const JobBackendConfig& config) {
    return make_dynamodb_job_table(config, process_getenv);
}

std::unique_ptr<JobTable> make_dynamodb_job_table(const JobBackendConfig& config, const GetenvFunction& getenv) {
    return std::make_unique<DynamoDbJobTable>(make_dynamodb_client_from_environment(getenv), config);
}

}  // namespace archlab::real
