#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>
#include <thread>
#include <unistd.h>

#include "call_timings.hpp"

using namespace archlab::real;

namespace {
OperationHistograms recorded(const std::vector<double>& seconds, const std::string& name = "sqs.SendMessage") {
    CallTimings timings;
    for (double value : seconds) timings.record(name, value);
    return timings.snapshot();
}
}  // namespace

TEST_CASE("call timings: a bucket's middle is within 1 % of every value in it", "[timings]") {
    for (double seconds : {2e-6, 0.00093, 0.0042, 0.0421, 1.7, 19.5}) {
        const double middle = timing_bucket_middle_s(timing_bucket_of(seconds));
        CHECK(std::abs(middle - seconds) / seconds < 0.0101);
    }
    CHECK(timing_bucket_of(0) == 0);
    CHECK(timing_bucket_of(-1) == 0);
    CHECK(timing_bucket_of(1e9) == timing_bucket_of(1e12));  // the last bucket holds the rest
}

TEST_CASE("call timings: mean is exact, percentiles come from the buckets", "[timings]") {
    std::vector<double> seconds;
    for (int i = 1; i <= 100; ++i) seconds.push_back(i * 0.001);  // 1..100 ms
    const auto summary = summarize_histograms(recorded(seconds)).at("sqs.SendMessage");
    CHECK(summary.at("count") == 100);
    CHECK(summary.at("mean").get<double>() == Approx(0.0505).epsilon(1e-9));
    CHECK(summary.at("p50").get<double>() == Approx(0.050).epsilon(0.011));
    CHECK(summary.at("p90").get<double>() == Approx(0.090).epsilon(0.011));
    CHECK(summary.at("p99").get<double>() == Approx(0.099).epsilon(0.011));
    const auto& quantiles = summary.at("quantiles");
    REQUIRE(quantiles.size() == 100);  // one per call, below the cap
    CHECK(quantiles.front().get<double>() == Approx(0.001).epsilon(0.011));  // the fastest call
    CHECK(quantiles[49].get<double>() == Approx(0.050).epsilon(0.011));
    CHECK(quantiles.back().get<double>() == Approx(0.100).epsilon(0.011));   // the slowest call
    std::vector<double> many(5000, 0.002);
    CHECK(summarize_histograms(recorded(many)).at("sqs.SendMessage").at("quantiles").size() == timing_quantile_cap);
}

TEST_CASE("call timings: snapshots round-trip, add up and subtract to what happened between", "[timings]") {
    const auto before = recorded({0.001, 0.002});
    auto after = before;
    add_histograms(after, recorded({0.010, 0.010, 0.010}));
    add_histograms(after, recorded({0.005}, "dynamodb.GetItem"));
    const auto read_back = histograms_from_json(histograms_to_json(after), "snapshot");
    const auto run = subtract_histograms(read_back, before);
    REQUIRE(run.count("sqs.SendMessage") == 1);
    CHECK(run.at("sqs.SendMessage").count == 3);
    CHECK(run.at("sqs.SendMessage").sum_s == Approx(0.030));
    CHECK(run.at("dynamodb.GetItem").count == 1);
    const auto summary = summarize_histograms(run);
    CHECK(summary.at("sqs.SendMessage").at("p50").get<double>() == Approx(0.010).epsilon(0.011));
    CHECK(subtract_histograms(before, before).empty());  // nothing happened: nothing reported
}

TEST_CASE("call timings: a snapshot that is not one is refused, naming the key", "[timings]") {
    CHECK_THROWS_WITH(histograms_from_json(nlohmann::json::array(), "f.json"), Catch::Contains("f.json"));
    const auto no_count = nlohmann::json::parse(R"({"sqs.SendMessage": {"sum_s": 1, "buckets": {}}})");
    CHECK_THROWS_WITH(histograms_from_json(no_count, "f.json"), Catch::Contains("operations.sqs.SendMessage"));
    const auto bad_bucket = nlohmann::json::parse(R"({"x": {"count": 1, "sum_s": 1, "buckets": {"-3": 1}}})");
    CHECK_THROWS_WITH(histograms_from_json(bad_bucket, "f.json"), Catch::Contains("buckets.-3"));
}

TEST_CASE("call timings: a timed scope is recorded and counted as this thread's waiting", "[timings]") {
    const double aws_before = thread_waiting_seconds();
    const auto calls_before = process_call_timings().snapshot()["test.scope"].count;
    {
        ScopedCallTimer timer("test.scope", true);
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    CHECK(process_call_timings().snapshot()["test.scope"].count == calls_before + 1);
    CHECK(thread_waiting_seconds() - aws_before >= 0.005);
    double other_thread_aws = -1;
    std::thread([&] { other_thread_aws = thread_waiting_seconds(); }).join();
    CHECK(other_thread_aws == 0);
}

TEST_CASE("call timings: the file writer leaves a whole snapshot, the last one on exit", "[timings]") {
    const std::string path = "/tmp/archlab-timings-test-" + std::to_string(::getpid()) + ".json";
    {
        TimingsFileWriter writer(path, "worker", std::chrono::milliseconds(20));
        process_call_timings().record("test.writer", 0.25);
    }
    std::ifstream file(path);
    const auto document = nlohmann::json::parse(file);
    CHECK(document.at("role") == "worker");
    CHECK(document.at("pid") == ::getpid());
    const auto histograms = histograms_from_json(document.at("operations"), path);
    CHECK(histograms.at("test.writer").count >= 1);
    std::remove(path.c_str());
}
