#include "call_trace.hpp"

#include <chrono>
#include <cmath>
#include <cstring>
#include <iostream>

namespace archlab::real {

namespace {
thread_local CallTrace* open_trace = nullptr;

std::int64_t unix_now_us() {
    return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}
}  // namespace

CallTrace::CallTrace() : outer_(open_trace) { open_trace = this; }

CallTrace::~CallTrace() { open_trace = outer_; }

void CallTrace::add(std::string operation, double seconds, std::int64_t now_unix_us) {
    const auto duration_us = static_cast<std::int64_t>(std::llround(seconds * 1e6));
    calls_.push_back({std::move(operation), now_unix_us - duration_us, duration_us});
}

void trace_call(const std::string& operation, double seconds) {
    if (open_trace) open_trace->add(operation, seconds, unix_now_us());
}

std::optional<double> seconds_between(const std::vector<TracedCall>& calls, const std::string& from, CallEdge from_edge,
                                      const std::string& to, CallEdge to_edge) {
    const auto edge_us = [&](const std::string& name, CallEdge edge) -> std::optional<std::int64_t> {
        for (const auto& call : calls)
            if (call.operation == name) return call.start_unix_us + (edge == CallEdge::end ? call.duration_us : 0);
        return std::nullopt;
    };
    const auto begin_us = edge_us(from, from_edge), end_us = edge_us(to, to_edge);
    if (!begin_us || !end_us || *end_us < *begin_us) return std::nullopt;
    return static_cast<double>(*end_us - *begin_us) / 1e6;
}

nlohmann::json trace_line(const std::string& key, const std::vector<TracedCall>& calls) {
    nlohmann::json rows = nlohmann::json::array();
    for (const auto& call : calls) rows.push_back({call.operation, call.start_unix_us, call.duration_us});
    return {{"id", key}, {"calls", rows}};
}

TraceFile::TraceFile(const std::string& path) : file_(std::fopen(path.c_str(), "a")), path_(path) {
    if (!file_) {
        std::cerr << "call trace: cannot open " << path_ << ": " << std::strerror(errno) << "\n";
        reported_failure_ = true;
    }
}

TraceFile::~TraceFile() {
    if (file_) std::fclose(file_);
}

void TraceFile::write(const nlohmann::json& line) {
    const std::string text = line.dump() + "\n";
    std::lock_guard lock(mutex_);
    if (!file_) return;
    if (std::fwrite(text.data(), 1, text.size(), file_) != text.size() || std::fflush(file_) != 0) {
        if (!reported_failure_) std::cerr << "call trace: cannot write " << path_ << ": " << std::strerror(errno) << "\n";
        reported_failure_ = true;
    }
}

}  // namespace archlab::real
