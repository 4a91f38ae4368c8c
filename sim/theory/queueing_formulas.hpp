// Closed-form steady-state figures for the queueing models archlab uses as a
// yardstick: the simulator's measured latencies are compared against these.
// Pure functions, no I/O; every input outside a model's domain throws
// std::invalid_argument rather than returning a plausible-looking number.
#pragma once

#include <vector>

namespace archlab::theory {

struct QueueFigures {                // steady-state figures of one station
  double utilization = 0;            // per server, 0..1 (for M/M/c/K: carried load / c)
  double mean_response_s = 0;        // W: waiting + service
  double mean_wait_s = 0;            // Wq
  double mean_in_system = 0;         // L
  double mean_in_queue = 0;          // Lq
  double blocking_probability = 0;   // only for finite capacity; 0 otherwise
  double wait_probability = 0;       // P(wait): an accepted arrival finds every server busy
  double throughput_per_s = 0;       // accepted arrivals per second
};

// Probability that an arrival has to wait in M/M/c, with offered load a = lambda/mu.
// Requires a < servers. Computed through the Erlang B recursion so that it
// stays finite for servers in the thousands.
double erlang_c(int servers, double offered_load);

// Probability that an arrival is lost in M/M/c/c (Erlang loss formula).
double erlang_b(int servers, double offered_load);

QueueFigures mmc(double arrival_rate_per_s, double service_rate_per_s, int servers);  // c=1 is M/M/1
QueueFigures md1(double arrival_rate_per_s, double service_time_s);
// Pollaczek–Khinchine; service_cv = standard deviation / mean of the service time.
QueueFigures mg1(double arrival_rate_per_s, double mean_service_s, double service_cv);
// M/M/c/K with K = servers + capacity_waiting; an arrival that finds
// capacity_waiting jobs already waiting is blocked. Stable for any load.
QueueFigures mmck(double arrival_rate_per_s, double service_rate_per_s, int servers,
                  int capacity_waiting);

// The p-quantile (p in (0,1)) of the response time (wait + service) of M/M/c under first come,
// first served: a waiting arrival waits Exp(c mu - lambda), with probability Erlang C, then is
// served Exp(mu), so P(T > t) = e^{-mu t} + C mu / (c mu - lambda - mu) (e^{-mu t} - e^{-(c mu - lambda) t})
// (Erlang-2 when c mu - lambda = mu). For c = 1 it is ln(1/(1-p)) / (mu - lambda).
double mmc_response_quantile_s(double arrival_rate_per_s, double service_rate_per_s, int servers, double p);

struct JacksonResult {
  std::vector<double> arrival_rate_per_s;  // total (external + routed) rate into each node
  std::vector<QueueFigures> nodes;
  double mean_response_s = 0;              // end-to-end sojourn, by Little's law
  double throughput_per_s = 0;             // = sum of external arrivals
};

// Open Jackson network of M/M/c nodes. routing[i][j] is the probability that a
// job leaving i goes to j; rows sum to <= 1 and the remainder leaves the network.
JacksonResult jackson(const std::vector<double>& external_arrival_per_s,
                      const std::vector<double>& service_rate_per_s,
                      const std::vector<int>& servers,
                      const std::vector<std::vector<double>>& routing);

// Solves A x = b by Gaussian elimination with partial pivoting (A is n x n,
// row-major). Throws std::invalid_argument if A is singular. Exposed for tests.
std::vector<double> solve_linear(std::vector<std::vector<double>> a, std::vector<double> b);

}  // namespace archlab::theory
