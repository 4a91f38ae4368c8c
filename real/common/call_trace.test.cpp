#include <catch2/catch.hpp>

#include <fstream>
#include <thread>
#include <unistd.h>

#include "call_timings.hpp"
#include "call_trace.hpp"

using namespace archlab::real;

TEST_CASE("call trace: calls timed on the thread while it is open, in order, with their start", "[trace]") {
    CallTimings timings;
    timings.record("before", 0.001);  // no trace open: nothing kept
    std::vector<TracedCall> calls;
    {
        CallTrace trace;
        timings.record("dynamodb.GetItem", 0.002);
        { const ScopedCallTimer timer("worker.run"); }
        std::thread([&] { timings.record("other thread", 0.003); }).join();
        calls = trace.calls();
        CHECK(calls.front().start_unix_us + calls.front().duration_us <= calls.back().start_unix_us + calls.back().duration_us);
    }
    timings.record("after", 0.001);
    REQUIRE(calls.size() == 2);
    CHECK(calls[0].operation == "dynamodb.GetItem");
    CHECK(calls[0].duration_us == 2000);
    CHECK(calls[1].operation == "worker.run");
    CHECK(calls[1].duration_us >= 0);
}

TEST_CASE("call trace: an inner trace takes the calls until it closes", "[trace]") {
    CallTimings timings;
    CallTrace outer;
    {
        CallTrace inner;
        timings.record("inner", 0.001);
        CHECK(inner.calls().size() == 1);
    }
    timings.record("outer", 0.001);
    REQUIRE(outer.calls().size() == 1);
    CHECK(outer.calls()[0].operation == "outer");
}

TEST_CASE("call trace: one JSON line per write", "[trace]") {
    CallTrace trace;
    trace.add("sqs.delivery", 0.0015, 1'000'000);
    const auto line = trace_line("job-1", trace.calls());
    CHECK(line.dump() == R"({"calls":[["sqs.delivery",998500,1500]],"id":"job-1"})");

    const std::string path = "/tmp/archlab-call-trace-test-" + std::to_string(::getpid()) + ".jsonl";
    std::remove(path.c_str());
    {
        TraceFile file(path);
        file.write(line);
        file.write(trace_line("job-2", {}));
    }
    std::ifstream in(path);
    std::string first, second, third;
    std::getline(in, first);
    std::getline(in, second);
    CHECK(nlohmann::json::parse(first) == line);
    CHECK(nlohmann::json::parse(second).at("id") == "job-2");
    CHECK_FALSE(std::getline(in, third));
    std::remove(path.c_str());
}

TEST_CASE("call trace: the stretch between two calls' edges", "[trace]") {
    CallTrace trace;
    trace.add("sqs.ReceiveMessage", 0.020, 1'020'000);  // 1.000 .. 1.020 s
    trace.add("dynamodb.GetItem", 0.001, 1'021'500);    // 1.0205 .. 1.0215
    trace.add("dynamodb.UpdateItem", 0.002, 1'030'000); // 1.028 .. 1.030
    trace.add("dynamodb.GetItem", 0.001, 2'000'000);    // a second one: the first counts
    const auto& calls = trace.calls();
    CHECK(seconds_between(calls, "sqs.ReceiveMessage", CallEdge::end, "dynamodb.UpdateItem", CallEdge::end) == Approx(0.010));
    CHECK(seconds_between(calls, "sqs.ReceiveMessage", CallEdge::start, "dynamodb.GetItem", CallEdge::start) == Approx(0.0205));
    CHECK(seconds_between(calls, "dynamodb.GetItem", CallEdge::end, "dynamodb.UpdateItem", CallEdge::start) == Approx(0.0065));
    CHECK_FALSE(seconds_between(calls, "sqs.ReceiveMessage", CallEdge::end, "sqs.SendMessage", CallEdge::start));
    CHECK_FALSE(seconds_between(calls, "dynamodb.UpdateItem", CallEdge::end, "dynamodb.GetItem", CallEdge::start));  // backwards
}
