// Where a real run's time goes: every AWS call a process makes (and a few steps of
// its own, such as the sandbox run) is timed into a per-operation histogram. A
// process given a timings file rewrites it every second; archlab-loadgen reads
// the files before and after a run and reports the difference as the result's
// "operations_s" (real/loadgen/README.md), which `archlab compare` calibrates
// the model from.
//
// Histograms, not samples: memory stays bounded however long a process runs, and
// snapshots of several processes add up, or subtract (after − before = the run).
// Buckets grow by 2 %, so a percentile read from them is within 1 % of the truth.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

namespace archlab::real {

struct OperationHistogram {
    std::uint64_t count = 0;
    double sum_s = 0;
    std::map<int, std::uint64_t> buckets;  // bucket index → calls (sparse)
};
using OperationHistograms = std::map<std::string, OperationHistogram>;  // "sqs.SendMessage" → ...

constexpr double timing_bucket_min_s = 1e-6;   // bucket 0 starts at 1 µs
constexpr double timing_bucket_growth = 1.02;  // each bucket 2 % wider than the one before
int timing_bucket_of(double seconds);
double timing_bucket_middle_s(int bucket);  // geometric middle: the value a percentile reports

// The snapshot file: {"role", "pid", "written_at_unix_ms", "operations": {name: {count, sum_s, buckets}}}.
nlohmann::json histograms_to_json(const OperationHistograms& histograms);
// Throws std::runtime_error naming `origin` and the key when the JSON is not such a snapshot.
OperationHistograms histograms_from_json(const nlohmann::json& operations, const std::string& origin);
void add_histograms(OperationHistograms& into, const OperationHistograms& more);
// after − before, per bucket; operations or buckets that did not grow are left out.
OperationHistograms subtract_histograms(const OperationHistograms& after, const OperationHistograms& before);
// {name: {"count", "mean", "p50", "p90", "p99", "quantiles"}} in seconds, the shape of the result's
// other timing blocks; "quantiles" holds min(count, timing_quantile_cap) equally likely values
// (the (i + ½) / n points, to the microsecond): the measured distribution itself, slowest calls
// included, for a model to draw from.
constexpr std::uint64_t timing_quantile_cap = 1000;
nlohmann::json summarize_histograms(const OperationHistograms& histograms);

// Thread-safe recorder; one mutex, held for a map lookup and two additions.
class CallTimings {
public:
    void record(const std::string& operation, double seconds);
    OperationHistograms snapshot() const;

private:
    mutable std::mutex mutex_;
    OperationHistograms histograms_;
};

// The process-wide recorder the AWS clients, the API and the worker write to.
CallTimings& process_call_timings();

// Seconds this thread has spent waiting in timed calls so far (AWS calls, the sandbox run):
// the API and the worker subtract it from a request's or a message's time to get their own work.
double thread_waiting_seconds();

// Times a scope into process_call_timings(); with `counts_as_waiting`, also into the
// thread's waiting total.
class ScopedCallTimer {
public:
    explicit ScopedCallTimer(std::string operation, bool counts_as_waiting = false);
    ~ScopedCallTimer();
    ScopedCallTimer(const ScopedCallTimer&) = delete;
    ScopedCallTimer& operator=(const ScopedCallTimer&) = delete;

private:
    std::string operation_;
    bool counts_as_waiting_;
    std::chrono::steady_clock::time_point started_;
};

// Rewrites `path` from process_call_timings() every `period` (write to a temporary
// file beside it, then rename: a reader never sees half a file), and once more when
// destroyed. Write failures are reported once to stderr, never thrown.
class TimingsFileWriter {
public:
    TimingsFileWriter(std::string path, std::string role,
                      std::chrono::milliseconds period = std::chrono::milliseconds(500));
    ~TimingsFileWriter();
    TimingsFileWriter(const TimingsFileWriter&) = delete;
    TimingsFileWriter& operator=(const TimingsFileWriter&) = delete;

private:
    void write_now();
    std::string path_;
    std::string role_;
    std::chrono::milliseconds period_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    bool reported_failure_ = false;
    std::thread thread_;
};

}  // namespace archlab::real
