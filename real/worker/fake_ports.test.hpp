// In-memory JobQueue and JobTable for the worker's tests, with switches to
// inject backend failures and a shared event list to check the order of writes.
#pragma once

#include <deque>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "job_ports.hpp"

namespace archlab::real::testing {

struct EventLog {
    std::vector<std::string> events;
};

class FakeQueue : public JobQueue {
public:
    explicit FakeQueue(EventLog& log) : log_(log) {}

    void send(const std::string& execution_id) override { ready_.push_back({execution_id, 0}); }

    std::vector<QueuedJob> receive(int max_messages, int) override {
        ++receive_calls;
        if (fail_receives > 0) {
            --fail_receives;
            throw JobBackendError("SQS unavailable");
        }
        std::vector<QueuedJob> out;
        while (!ready_.empty() && static_cast<int>(out.size()) < max_messages) {
            auto [id, count] = ready_.front();
            ready_.pop_front();
            const std::string handle = "rh-" + id + "-" + std::to_string(++count);
            in_flight_[handle] = {id, count};
            out.push_back({id, handle, count});
        }
        if (after_receive) after_receive();
        return out;
    }

    void remove(const std::string& receipt_handle) override {
        if (fail_removes > 0) {
            --fail_removes;
            throw JobBackendError("DeleteMessage failed");
        }
        log_.events.push_back("remove " + receipt_handle);
        in_flight_.erase(receipt_handle);
    }

    void extend_visibility(const std::string& receipt_handle, int visibility_timeout_s) override {
        extensions.push_back(visibility_timeout_s);
        log_.events.push_back("extend " + receipt_handle + " " + std::to_string(visibility_timeout_s));
    }

    std::vector<std::string> peek_ids(int) override { return {}; }

    // What SQS does when a message's visibility runs out before it is deleted.
    void expire_in_flight() {
        for (auto& [handle, entry] : in_flight_) ready_.push_back(entry);
        in_flight_.clear();
    }
    std::size_t waiting() const { return ready_.size() + in_flight_.size(); }

    int fail_receives = 0;
    int fail_removes = 0;
    int receive_calls = 0;
    std::vector<int> extensions;
    std::function<void()> after_receive;

private:
    EventLog& log_;
    std::deque<std::pair<std::string, int>> ready_;
    std::map<std::string, std::pair<std::string, int>> in_flight_;
};

class FakeTable : public JobTable {
public:
    explicit FakeTable(EventLog& log) : log_(log) {}

    void create(const JobRecord& job) override { rows[job.execution_id] = job; }

    std::optional<JobRecord> get(const std::string& execution_id) override {
        if (fail_gets > 0) {
            --fail_gets;
            throw JobBackendError("GetItem failed");
        }
        const auto found = rows.find(execution_id);
        if (found == rows.end()) return std::nullopt;
        return found->second;
    }

    bool finish_if_pending(const std::string& execution_id, JobStatus status,
                           const std::string& result, std::int64_t started_at_ms,
                           std::int64_t finished_at_ms) override {
        if (fail_finishes > 0) {
            --fail_finishes;
            throw JobBackendError("UpdateItem failed");
        }
        ++finish_calls;
        JobRecord& row = rows.at(execution_id);
        if (row.status != JobStatus::pending) return false;
        log_.events.push_back("finish " + execution_id);
        row.status = status;
        row.result = result;
        row.started_at_ms = started_at_ms;
        row.finished_at_ms = finished_at_ms;
        return true;
    }

    std::map<std::string, JobRecord> rows;
    int fail_gets = 0;
    int fail_finishes = 0;
    int finish_calls = 0;

private:
    EventLog& log_;
};

}  // namespace archlab::real::testing
