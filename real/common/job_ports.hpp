// The two things the code runner's API servers and workers need from AWS, as
// interfaces: a queue of execution ids (SQS) and a table of jobs (DynamoDB).
// The API and the worker are written and unit-tested against these ports with
// in-memory fakes; job_backends.hpp makes the real ones over SQS and DynamoDB.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace archlab::real {

// Wire strings are the seed's: "pending", "Executed", plus "failed" for code
// that could not run to an answer (error, timeout, memory or output limit).
enum class JobStatus { pending, executed, failed };
std::string to_string(JobStatus status);
std::optional<JobStatus> job_status_from_string(const std::string& text);

// One row of the jobs table (partition key execution_id). Times are Unix
// milliseconds so a load generator or `archlab compare` can split a job's
// latency into queue wait and run time.
struct JobRecord {
    std::string execution_id;
    std::string code;
    JobStatus status = JobStatus::pending;
    std::string result;
    std::int64_t submitted_at_ms = 0;
    std::optional<std::int64_t> started_at_ms;
    std::optional<std::int64_t> finished_at_ms;
};

// A message as a worker holds it while it runs the job.
struct QueuedJob {
    std::string execution_id;
    std::string receipt_handle;
    int receive_count = 0;  // SQS ApproximateReceiveCount: 1 on first delivery
};

// Thrown by a port when the backend failed (network, throttling after
// retries, 5xx): callers answer 500 or leave the message for redelivery.
struct JobBackendError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

class JobTable {
public:
    virtual ~JobTable() = default;
    // Writes a new pending job; throws JobBackendError if the id exists.
    virtual void create(const JobRecord& job) = 0;
    // Strongly consistent read; nullopt when no such job.
    virtual std::optional<JobRecord> get(const std::string& execution_id) = 0;
    // Conditional write: sets the outcome only while the job is still pending.
    // False when it was already finished, so a redelivered job never gets a
    // second result.
    virtual bool finish_if_pending(const std::string& execution_id, JobStatus status,
                                   const std::string& result, std::int64_t started_at_ms,
                                   std::int64_t finished_at_ms) = 0;
};

class JobQueue {
public:
    virtual ~JobQueue() = default;
    // FIFO queues: the id is both the deduplication id and, unless configured
    // otherwise, its own message group (one group per job, not the seed's one).
    virtual void send(const std::string& execution_id) = 0;
    // Long poll: waits up to wait_time_s for up to max_messages (1..10).
    virtual std::vector<QueuedJob> receive(int max_messages, int wait_time_s) = 0;
    virtual void remove(const std::string& receipt_handle) = 0;
    virtual void extend_visibility(const std::string& receipt_handle, int visibility_timeout_s) = 0;
    // The seed's status check: receive with visibility timeout 0 and wait 0 and
    // read the ids. Kept only to demonstrate that failure mode (it counts as a
    // receive, so it pushes jobs towards the dead-letter queue).
    virtual std::vector<std::string> peek_ids(int max_messages) = 0;
};

}  // namespace archlab::real
