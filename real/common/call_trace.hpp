// Per-job traces: what one message (worker) or one submission (API) spent where, call by call.
// The histograms of call_timings.hpp tell how long each kind of call takes, but not whether a
// slow job was slow in every step or in one, nor whether slow jobs come in bursts: what a job's
// tail is made of. While a CallTrace is open on a thread, every call timed on that thread
// (CallTimings::record, hence ScopedCallTimer) is also appended to it with its start time; the
// owner writes it out as one JSON line (TraceFile). Off unless a process is given a trace file.
#pragma once

#include <cstdint>
#include <cstdio>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace archlab::real {

struct TracedCall {
    std::string operation;
    std::int64_t start_unix_us = 0;  // the system clock, so traces of several processes line up
    std::int64_t duration_us = 0;
};

// Open on the thread that creates it until destroyed; a trace opened inside another hides it
// until it closes (the calls go to the innermost).
class CallTrace {
public:
    CallTrace();
    ~CallTrace();
    CallTrace(const CallTrace&) = delete;
    CallTrace& operator=(const CallTrace&) = delete;
    const std::vector<TracedCall>& calls() const { return calls_; }
    void add(std::string operation, double seconds, std::int64_t now_unix_us);

private:
    std::vector<TracedCall> calls_;
    CallTrace* outer_;
};

// Appends a call that took `seconds` and ended now to this thread's open trace, if there is one.
void trace_call(const std::string& operation, double seconds);

// A stretch of one job between two of its calls, e.g. from its ReceiveMessage's answer to its
// UpdateItem's: what the process spent on the job in one piece, so a model can draw it whole
// (slowness that hits several calls of one job at once stays together). The first call of each
// name; nothing when either is missing or the stretch would be negative.
enum class CallEdge { start, end };
std::optional<double> seconds_between(const std::vector<TracedCall>& calls, const std::string& from, CallEdge from_edge,
                                      const std::string& to, CallEdge to_edge);

// {"id": key, "calls": [[operation, start_unix_us, duration_us], ...]}, calls in the order timed.
nlohmann::json trace_line(const std::string& key, const std::vector<TracedCall>& calls);

// One JSON line per write, appended and flushed whole under a mutex (threads of one process
// share it). A file that cannot be opened or written is reported once to stderr, never thrown:
// tracing must not stop a job.
class TraceFile {
public:
    explicit TraceFile(const std::string& path);
    ~TraceFile();
    TraceFile(const TraceFile&) = delete;
    TraceFile& operator=(const TraceFile&) = delete;
    void write(const nlohmann::json& line);

private:
    std::mutex mutex_;
    std::FILE* file_ = nullptr;
    std::string path_;
    bool reported_failure_ = false;
};

}  // namespace archlab::real
