// In-memory JobTable and JobQueue: the API's tests use them (with injected
// failures), and `archlab-api --fake-backends` serves from them so the HTTP
// path can be load-tested with no AWS or emulator. Thread-safe (one mutex each),
// since the server calls them from all its io threads. No visibility timeouts:
// a received message stays in flight until removed.
#pragma once

#include <atomic>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "job_ports.hpp"

namespace archlab::real::api {

class InMemoryJobTable : public JobTable {
public:
    void create(const JobRecord& job) override;
    std::optional<JobRecord> get(const std::string& execution_id) override;
    bool finish_if_pending(const std::string& execution_id, JobStatus status, const std::string& result,
                           std::int64_t started_at_ms, std::int64_t finished_at_ms) override;
    std::size_t size() const;

    // Each positive count makes that many next calls throw JobBackendError.
    std::atomic<int> fail_creates{0};
    std::atomic<int> fail_gets{0};
    std::atomic<int> fail_finishes{0};

private:
    mutable std::mutex mutex_;
    std::unordered_map<std::string, JobRecord> jobs_;
};

class InMemoryJobQueue : public JobQueue {
public:
    void send(const std::string& execution_id) override;
    std::vector<QueuedJob> receive(int max_messages, int wait_time_s) override;
    void remove(const std::string& receipt_handle) override;
    void extend_visibility(const std::string& receipt_handle, int visibility_timeout_s) override;
    std::vector<std::string> peek_ids(int max_messages) override;
    // Ids waiting to be received, oldest first.
    std::vector<std::string> ready_ids() const;

    std::atomic<int> fail_sends{0};
    std::atomic<int> fail_peeks{0};
    std::atomic<int> peek_calls{0};

private:
    mutable std::mutex mutex_;
    std::deque<std::pair<std::string, int>> ready_;  // id, times received before
    std::map<std::string, std::pair<std::string, int>> in_flight_;  // receipt handle → id, count
    long next_handle_ = 0;
};

}  // namespace archlab::real::api
