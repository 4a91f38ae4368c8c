// plain_loop.cpp -- the speed floor for archlab's benchmark.
//
// A minimal M/M/c simulation written as directly as possible: a future-event
// list in a std::priority_queue, a FIFO waiting line in a std::deque, one
// std::mt19937_64 and std::exponential_distribution draws. No model parsing,
// no statistics beyond the mean response time, no abstraction layers.
//
// Usage: plain_loop rate_per_s mean_service_s servers requests warmup seed
//   requests  total customers generated (the first `warmup` of them, by arrival
//             order, are simulated but excluded from the mean)
// Output (one line of JSON):
//   {"system":"plain_cpp","requests":N,"measured":M,"mean_response_ms":X,
//    "sim_time_s":T,"wall_s":W,"requests_per_s":R}
//
// Build: g++ -O2 -std=c++20 -o plain_loop plain_loop.cpp

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <queue>
#include <random>
#include <vector>

namespace {

enum class Kind : std::uint8_t { Arrival, Departure };

struct Event {
    double time;
    std::uint64_t seq;      // FIFO tie-break for equal times
    Kind kind;
    std::uint64_t customer; // index of the customer (departure only)
    double arrived;         // arrival time of that customer (departure only)
};

struct Later {
    bool operator()(const Event& a, const Event& b) const {
        return a.time != b.time ? a.time > b.time : a.seq > b.seq;
    }
};

struct Waiting {
    std::uint64_t customer;
    double arrived;
};

}  // namespace

int main(int argc, char** argv) {
    if (argc != 7) {
        std::fprintf(stderr, "usage: %s rate_per_s mean_service_s servers requests warmup seed\n", argv[0]);
        return 2;
    }
    const double rate = std::strtod(argv[1], nullptr);
    const double mean_service = std::strtod(argv[2], nullptr);
    const long servers = std::strtol(argv[3], nullptr, 10);
    const std::uint64_t requests = std::strtoull(argv[4], nullptr, 10);
    const std::uint64_t warmup = std::strtoull(argv[5], nullptr, 10);
    const std::uint64_t seed = std::strtoull(argv[6], nullptr, 10);
    if (rate <= 0 || mean_service <= 0 || servers < 1 || requests == 0 || warmup >= requests) {
        std::fprintf(stderr, "invalid arguments\n");
        return 2;
    }

    const auto t0 = std::chrono::steady_clock::now();

    std::mt19937_64 rng(seed);
    std::exponential_distribution<double> interarrival(rate);
    std::exponential_distribution<double> service(1.0 / mean_service);

    std::priority_queue<Event, std::vector<Event>, Later> fel;
    std::deque<Waiting> line;
    std::uint64_t seq = 0;
    std::uint64_t generated = 0;
    long busy = 0;
    double now = 0.0;
    double sum_response = 0.0;
    std::uint64_t measured = 0;

    fel.push({interarrival(rng), seq++, Kind::Arrival, 0, 0.0});
    while (!fel.empty()) {
        const Event ev = fel.top();
        fel.pop();
        now = ev.time;
        if (ev.kind == Kind::Arrival) {
            const std::uint64_t id = generated++;
            if (generated < requests) fel.push({now + interarrival(rng), seq++, Kind::Arrival, 0, 0.0});
            if (busy < servers) {
                ++busy;
                fel.push({now + service(rng), seq++, Kind::Departure, id, now});
            } else {
                line.push_back({id, now});
            }
        } else {
            if (ev.customer >= warmup) {
                sum_response += now - ev.arrived;
                ++measured;
            }
            if (!line.empty()) {
                const Waiting w = line.front();
                line.pop_front();
                fel.push({now + service(rng), seq++, Kind::Departure, w.customer, w.arrived});
            } else {
                --busy;
            }
        }
    }

    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::printf(
        "{\"system\":\"plain_cpp\",\"requests\":%llu,\"measured\":%llu,\"mean_response_ms\":%.6f,"
        "\"sim_time_s\":%.6f,\"wall_s\":%.6f,\"requests_per_s\":%.1f}\n",
        static_cast<unsigned long long>(requests), static_cast<unsigned long long>(measured),
        measured ? 1000.0 * sum_response / static_cast<double>(measured) : 0.0, now, wall,
        wall > 0 ? static_cast<double>(requests) / wall : 0.0);
    return 0;
}
