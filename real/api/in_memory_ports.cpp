#include "in_memory_ports.hpp"

namespace archlab::real::api {
namespace {
void maybe_fail(std::atomic<int>& counter, const char* what) {
    if (counter.load() > 0 && counter.fetch_sub(1) > 0)
        throw JobBackendError(std::string("injected failure: ") + what);
}
}  // namespace

void InMemoryJobTable::create(const JobRecord& job) {
    maybe_fail(fail_creates, "create");
    std::lock_guard lock(mutex_);
    if (!jobs_.emplace(job.execution_id, job).second)
        throw JobBackendError("job " + job.execution_id + " already exists");
}

std::optional<JobRecord> InMemoryJobTable::get(const std::string& execution_id) {
    maybe_fail(fail_gets, "get");
    std::lock_guard lock(mutex_);
    const auto found = jobs_.find(execution_id);
    if (found == jobs_.end()) return std::nullopt;
    return found->second;
}

bool InMemoryJobTable::finish_if_pending(const std::string& execution_id, JobStatus status,
                                         const std::string& result, std::int64_t started_at_ms,
                                         std::int64_t finished_at_ms) {
    maybe_fail(fail_finishes, "finish_if_pending");
    std::lock_guard lock(mutex_);
    const auto found = jobs_.find(execution_id);
    if (found == jobs_.end() || found->second.status != JobStatus::pending) return false;
    found->second.status = status;
    found->second.result = result;
    found->second.started_at_ms = started_at_ms;
    found->second.finished_at_ms = finished_at_ms;
    return true;
}

std::size_t InMemoryJobTable::size() const {
    std::lock_guard lock(mutex_);
    return jobs_.size();
}

void InMemoryJobQueue::send(const std::string& execution_id) {
    maybe_fail(fail_sends, "send");
    std::lock_guard lock(mutex_);
    ready_.emplace_back(execution_id, 0);
}

std::vector<QueuedJob> InMemoryJobQueue::receive(int max_messages, int) {
    std::lock_guard lock(mutex_);
    std::vector<QueuedJob> out;
    while (!ready_.empty() && static_cast<int>(out.size()) < max_messages) {
        auto [id, count] = ready_.front();
        ready_.pop_front();
        const std::string handle = "rh-" + std::to_string(++next_handle_);
        in_flight_[handle] = {id, count + 1};
        out.push_back({id, handle, count + 1});
    }
    return out;
}

void InMemoryJobQueue::remove(const std::string& receipt_handle) {
    std::lock_guard lock(mutex_);
    in_flight_.erase(receipt_handle);
}

void InMemoryJobQueue::extend_visibility(const std::string&, int) {}

std::vector<std::string> InMemoryJobQueue::peek_ids(int max_messages) {
    ++peek_calls;
    maybe_fail(fail_peeks, "peek_ids");
    std::lock_guard lock(mutex_);
    std::vector<std::string> out;
    for (const auto& [id, count] : ready_) {
        if (static_cast<int>(out.size()) >= max_messages) break;
        out.push_back(id);
    }
    return out;
}

std::vector<std::string> InMemoryJobQueue::ready_ids() const {
    std::lock_guard lock(mutex_);
    std::vector<std::string> out;
    for (const auto& [id, count] : ready_) out.push_back(id);
    return out;
}

}  // namespace archlab::real::api
