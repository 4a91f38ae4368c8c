#include "call_timings.hpp"
#include "call_trace.hpp"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <stdexcept>

namespace archlab::real {

namespace {
constexpr int timing_bucket_count = 1200;  // 1 µs × 1.02^1200 ≈ 20,000 s: every call fits

std::int64_t unix_now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

thread_local double waiting_seconds_of_this_thread = 0;

double percentile_s(const OperationHistogram& histogram, double fraction) {
    // The smallest bucket with at least fraction × count calls at or below it.
    const auto wanted = static_cast<std::uint64_t>(std::ceil(fraction * static_cast<double>(histogram.count)));
    std::uint64_t seen = 0;
    for (const auto& [bucket, calls] : histogram.buckets) {
        seen += calls;
        if (seen >= std::max<std::uint64_t>(wanted, 1)) return timing_bucket_middle_s(bucket);
    }
    return histogram.buckets.empty() ? 0.0 : timing_bucket_middle_s(histogram.buckets.rbegin()->first);
}
}  // namespace

int timing_bucket_of(double seconds) {
    if (!(seconds > timing_bucket_min_s)) return 0;  // also NaN
    const double index = std::floor(std::log(seconds / timing_bucket_min_s) / std::log(timing_bucket_growth));
    return static_cast<int>(std::min(index, static_cast<double>(timing_bucket_count - 1)));
}

double timing_bucket_middle_s(int bucket) {
    return timing_bucket_min_s * std::pow(timing_bucket_growth, bucket + 0.5);
}

nlohmann::json histograms_to_json(const OperationHistograms& histograms) {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& [name, histogram] : histograms) {
        nlohmann::json buckets = nlohmann::json::object();
        for (const auto& [bucket, calls] : histogram.buckets) buckets[std::to_string(bucket)] = calls;
        out[name] = {{"count", histogram.count}, {"sum_s", histogram.sum_s}, {"buckets", buckets}};
    }
    return out;
}

OperationHistograms histograms_from_json(const nlohmann::json& operations, const std::string& origin) {
    if (!operations.is_object()) throw std::runtime_error(origin + ": operations must be an object");
    OperationHistograms out;
    for (const auto& [name, value] : operations.items()) {
        const std::string where = origin + ": operations." + name;
        if (!value.is_object() || !value.contains("count") || !value.at("count").is_number_unsigned() ||
            !value.contains("sum_s") || !value.at("sum_s").is_number() || !value.contains("buckets") ||
            !value.at("buckets").is_object())
            throw std::runtime_error(where + ": needs count (a whole number), sum_s and buckets");
        OperationHistogram histogram{value.at("count").get<std::uint64_t>(), value.at("sum_s").get<double>(), {}};
        for (const auto& [bucket, calls] : value.at("buckets").items()) {
            int index = -1;
            try {
                index = std::stoi(bucket);
            } catch (const std::exception&) {
            }
            if (index < 0 || index >= timing_bucket_count || !calls.is_number_unsigned())
                throw std::runtime_error(where + ".buckets." + bucket + ": bucket 0.." +
                                         std::to_string(timing_bucket_count - 1) + " → a whole number of calls");
            histogram.buckets[index] = calls.get<std::uint64_t>();
        }
        out[name] = std::move(histogram);
    }
    return out;
}

void add_histograms(OperationHistograms& into, const OperationHistograms& more) {
    for (const auto& [name, histogram] : more) {
        auto& total = into[name];
        total.count += histogram.count;
        total.sum_s += histogram.sum_s;
        for (const auto& [bucket, calls] : histogram.buckets) total.buckets[bucket] += calls;
    }
}

OperationHistograms subtract_histograms(const OperationHistograms& after, const OperationHistograms& before) {
    OperationHistograms out;
    for (const auto& [name, histogram] : after) {
        const auto earlier = before.find(name);
        if (earlier == before.end()) {
            if (histogram.count > 0) out[name] = histogram;
            continue;
        }
        OperationHistogram difference;
        for (const auto& [bucket, calls] : histogram.buckets) {
            const auto found = earlier->second.buckets.find(bucket);
            const std::uint64_t was = found == earlier->second.buckets.end() ? 0 : found->second;
            if (calls > was) difference.buckets[bucket] = calls - was;
        }
        for (const auto& [bucket, calls] : difference.buckets) difference.count += calls;
        difference.sum_s = std::max(0.0, histogram.sum_s - earlier->second.sum_s);
        if (difference.count > 0) out[name] = std::move(difference);
    }
    return out;
}

nlohmann::json summarize_histograms(const OperationHistograms& histograms) {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& [name, histogram] : histograms) {
        if (histogram.count == 0) continue;
        // One quantile per call up to the cap: the slowest calls are the tail a p99 is made of,
        // and a coarser list would leave them out. Whole microseconds keep the JSON short.
        const auto quantile_count = std::min<std::uint64_t>(histogram.count, timing_quantile_cap);
        nlohmann::json quantiles = nlohmann::json::array();
        for (std::uint64_t i = 0; i < quantile_count; ++i) {
            const double fraction = (static_cast<double>(i) + 0.5) / static_cast<double>(quantile_count);
            quantiles.push_back(std::round(percentile_s(histogram, fraction) * 1e6) / 1e6);
        }
        out[name] = {{"count", histogram.count},
                     {"mean", histogram.sum_s / static_cast<double>(histogram.count)},
                     {"p50", percentile_s(histogram, 0.50)},
                     {"p90", percentile_s(histogram, 0.90)},
                     {"p99", percentile_s(histogram, 0.99)},
                     {"quantiles", quantiles}};
    }
    return out;
}

void CallTimings::record(const std::string& operation, double seconds) {
    trace_call(operation, seconds);  // outside the lock: the trace is this thread's own
    const int bucket = timing_bucket_of(seconds);
    std::lock_guard lock(mutex_);
    auto& histogram = histograms_[operation];
    ++histogram.count;
    histogram.sum_s += seconds;
    ++histogram.buckets[bucket];
}

OperationHistograms CallTimings::snapshot() const {
    std::lock_guard lock(mutex_);
    return histograms_;
}

CallTimings& process_call_timings() {
    static CallTimings timings;
    return timings;
}

double thread_waiting_seconds() { return waiting_seconds_of_this_thread; }

ScopedCallTimer::ScopedCallTimer(std::string operation, bool counts_as_waiting)
    : operation_(std::move(operation)), counts_as_waiting_(counts_as_waiting), started_(std::chrono::steady_clock::now()) {}

ScopedCallTimer::~ScopedCallTimer() {
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
    if (counts_as_waiting_) waiting_seconds_of_this_thread += seconds;
    try {
        process_call_timings().record(operation_, seconds);
    } catch (...) {
        // Out of memory while timing: the call itself must not fail for it.
    }
}

TimingsFileWriter::TimingsFileWriter(std::string path, std::string role, std::chrono::milliseconds period)
    : path_(std::move(path)), role_(std::move(role)), period_(period) {
    thread_ = std::thread([this] {
        std::unique_lock lock(mutex_);
        for (bool last = false; !last;) {  // the pass that sees the stop request still writes
            wake_.wait_for(lock, period_, [this] { return stopping_; });
            last = stopping_;
            lock.unlock();
            write_now();
            lock.lock();
        }
    });
}

TimingsFileWriter::~TimingsFileWriter() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();  // its last pass wrote the final snapshot
}

void TimingsFileWriter::write_now() {
    const nlohmann::json document = {{"role", role_},
                                     {"pid", static_cast<long>(::getpid())},
                                     {"written_at_unix_ms", unix_now_ms()},
                                     {"operations", histograms_to_json(process_call_timings().snapshot())}};
    const std::string temporary = path_ + ".tmp";
    bool ok = false;
    {
        std::ofstream file(temporary, std::ios::trunc);
        file << document.dump() << "\n";
        ok = static_cast<bool>(file.flush());
    }
    ok = ok && std::rename(temporary.c_str(), path_.c_str()) == 0;
    if (!ok && !reported_failure_) {
        reported_failure_ = true;
        std::fprintf(stderr, "timings: cannot write %s (call timings are not recorded there)\n", path_.c_str());
    }
}

}  // namespace archlab::real
