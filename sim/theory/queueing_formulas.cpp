#include "sim/theory/queueing_formulas.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <stdexcept>
#include <string>

namespace archlab::theory {
namespace {

// "40/s", "0.125", not std::to_string's "40.000000/s".
std::string shown(double x) {
  std::ostringstream out;
  out << x;
  return out.str();
}

// Written as !(x > 0) so that NaN is rejected too.
void require_positive(double x, const char* what) {
  if (!(x > 0) || !std::isfinite(x))
    throw std::invalid_argument(std::string(what) + " must be a finite number > 0, got " +
                                shown(x));
}

void require_servers(int servers) {
  if (servers < 1)
    throw std::invalid_argument("servers must be >= 1, got " + std::to_string(servers));
}

void require_stable(double arrival_rate_per_s, double capacity_per_s, const std::string& where) {
  if (arrival_rate_per_s >= capacity_per_s)
    throw std::invalid_argument(where + " is unstable: arrival rate " +
                                shown(arrival_rate_per_s) +
                                "/s >= service capacity " + shown(capacity_per_s) +
                                "/s, so the queue grows without bound");
}

// Shared by every M/M/c caller (including Jackson nodes) so the node index can
// be named in the error message.
QueueFigures mmc_checked(double lambda, double mu, int c, const std::string& where) {
  require_stable(lambda, c * mu, where);
  const double a = lambda / mu;
  const double wait_prob = erlang_c(c, a);
  QueueFigures f;
  f.utilization = a / c;
  // C/(c mu - lambda), not rho/(1-rho)/lambda: the latter is only M/M/1's L/lambda.
  f.wait_probability = wait_prob;
  f.mean_wait_s = wait_prob / (c * mu - lambda);
  f.mean_response_s = f.mean_wait_s + 1.0 / mu;
  f.mean_in_queue = lambda * f.mean_wait_s;
  f.mean_in_system = lambda * f.mean_response_s;
  f.throughput_per_s = lambda;
  return f;
}

}  // namespace

double erlang_b(int servers, double offered_load) {
  require_servers(servers);
  if (!(offered_load >= 0) || !std::isfinite(offered_load))
    throw std::invalid_argument("offered load must be finite and >= 0, got " +
                                shown(offered_load));
  // B(k) = a B(k-1) / (k + a B(k-1)): every term stays in [0,1], unlike the
  // textbook a^c/c! ratio which overflows well before c = 200.
  double b = 1.0;
  for (int k = 1; k <= servers; ++k) b = offered_load * b / (k + offered_load * b);
  return b;
}

double erlang_c(int servers, double offered_load) {
  const double b = erlang_b(servers, offered_load);  // validates the arguments
  if (offered_load >= servers)
    throw std::invalid_argument("Erlang C needs offered load < servers (stable queue), got a=" +
                                shown(offered_load) + " with " +
                                std::to_string(servers) + " servers");
  return servers * b / (servers - offered_load * (1.0 - b));
}

QueueFigures mmc(double arrival_rate_per_s, double service_rate_per_s, int servers) {
  require_positive(arrival_rate_per_s, "arrival rate");
  require_positive(service_rate_per_s, "service rate");
  require_servers(servers);
  return mmc_checked(arrival_rate_per_s, service_rate_per_s, servers, "M/M/c queue");
}

QueueFigures mg1(double arrival_rate_per_s, double mean_service_s, double service_cv) {
  require_positive(arrival_rate_per_s, "arrival rate");
  require_positive(mean_service_s, "mean service time");
  if (!(service_cv >= 0) || !std::isfinite(service_cv))
    throw std::invalid_argument("service coefficient of variation must be finite and >= 0, got " +
                                shown(service_cv));
  const double rho = arrival_rate_per_s * mean_service_s;
  require_stable(arrival_rate_per_s, 1.0 / mean_service_s, "M/G/1 queue");
  QueueFigures f;
  f.utilization = rho;
  f.wait_probability = rho;  // Poisson arrivals see time averages: the server is busy a share rho of the time
  // P-K: Wq = lambda E[S^2] / (2(1-rho)), with E[S^2] = s^2 (1 + cv^2).
  f.mean_wait_s = rho * mean_service_s * (1.0 + service_cv * service_cv) / (2.0 * (1.0 - rho));
  f.mean_response_s = f.mean_wait_s + mean_service_s;
  f.mean_in_queue = arrival_rate_per_s * f.mean_wait_s;
  f.mean_in_system = arrival_rate_per_s * f.mean_response_s;
  f.throughput_per_s = arrival_rate_per_s;
  return f;
}

QueueFigures md1(double arrival_rate_per_s, double service_time_s) {
  require_positive(service_time_s, "service time");
  return mg1(arrival_rate_per_s, service_time_s, 0.0);
}

QueueFigures mmck(double arrival_rate_per_s, double service_rate_per_s, int servers,
                  int capacity_waiting) {
  require_positive(arrival_rate_per_s, "arrival rate");
  require_positive(service_rate_per_s, "service rate");
  require_servers(servers);
  if (capacity_waiting < 0)
    throw std::invalid_argument("capacity_waiting must be >= 0, got " +
                                std::to_string(capacity_waiting));
  const int c = servers;
  const int k_max = servers + capacity_waiting;
  const double a = arrival_rate_per_s / service_rate_per_s;

  // Unnormalised log weights of the birth-death chain; shifting by the max
  // before exponentiating keeps a^n/n! representable for c ~ 200, K ~ 1000.
  std::vector<double> log_w(static_cast<std::size_t>(k_max) + 1);
  log_w[0] = 0.0;
  for (int n = 1; n <= k_max; ++n)
    log_w[n] = log_w[n - 1] + std::log(a) - std::log(static_cast<double>(std::min(n, c)));
  const double peak = *std::max_element(log_w.begin(), log_w.end());
  std::vector<double> p(log_w.size());
  double total = 0.0;
  for (std::size_t n = 0; n < p.size(); ++n) total += p[n] = std::exp(log_w[n] - peak);

  double mean_n = 0.0, mean_q = 0.0;
  for (int n = 0; n <= k_max; ++n) {
    p[n] /= total;
    mean_n += n * p[n];
    if (n > c) mean_q += (n - c) * p[n];
  }

  QueueFigures f;
  f.blocking_probability = p[k_max];
  f.throughput_per_s = arrival_rate_per_s * (1.0 - f.blocking_probability);
  f.utilization = f.throughput_per_s / (c * service_rate_per_s);
  f.mean_in_system = mean_n;
  f.mean_in_queue = mean_q;
  // Little's law must use the accepted rate: blocked jobs never enter.
  f.mean_response_s = mean_n / f.throughput_per_s;
  f.mean_wait_s = mean_q / f.throughput_per_s;
  double busy_and_accepted = 0.0;  // arrivals that find n in [c, K): all servers busy, a place free
  for (int n = c; n < k_max; ++n) busy_and_accepted += p[n];
  f.wait_probability = f.blocking_probability < 1 ? busy_and_accepted / (1.0 - f.blocking_probability) : 0;
  return f;
}

double mmc_response_quantile_s(double arrival_rate_per_s, double service_rate_per_s, int servers, double p) {
  if (!(p > 0 && p < 1))
    throw std::invalid_argument("a quantile's probability must be in (0, 1), got " + shown(p));
  const QueueFigures f = mmc(arrival_rate_per_s, service_rate_per_s, servers);  // validates, stable
  const double mu = service_rate_per_s;
  const double theta = servers * mu - arrival_rate_per_s;
  const double wait = f.wait_probability;
  auto survival = [&](double t) {
    if (std::abs(theta - mu) < 1e-9 * mu)
      return (1 - wait) * std::exp(-mu * t) + wait * (1 + mu * t) * std::exp(-mu * t);
    return std::exp(-mu * t) + wait * mu / (theta - mu) * (std::exp(-mu * t) - std::exp(-theta * t));
  };
  // The survival falls from 1 to 0: bracket the quantile by doubling, then bisect to double precision.
  double low = 0, high = 1.0 / std::min(mu, theta);
  while (survival(high) > 1 - p) {
    low = high;
    high *= 2;
  }
  for (int i = 0; i < 200 && high - low > 1e-15 * high; ++i) {
    const double middle = (low + high) / 2;
    (survival(middle) > 1 - p ? low : high) = middle;
  }
  return (low + high) / 2;
}

std::vector<double> solve_linear(std::vector<std::vector<double>> a, std::vector<double> b) {
  const std::size_t n = b.size();
  if (a.size() != n) throw std::invalid_argument("solve_linear: matrix and vector sizes differ");
  double scale = 0.0;
  for (const auto& row : a) {
    if (row.size() != n) throw std::invalid_argument("solve_linear: matrix is not square");
    for (double v : row) scale = std::max(scale, std::abs(v));
  }
  const double tiny = 1e-12 * std::max(scale, 1.0);
  for (std::size_t col = 0; col < n; ++col) {
    std::size_t pivot = col;
    for (std::size_t r = col + 1; r < n; ++r)
      if (std::abs(a[r][col]) > std::abs(a[pivot][col])) pivot = r;
    if (std::abs(a[pivot][col]) < tiny)
      throw std::invalid_argument("solve_linear: matrix is singular");
    std::swap(a[pivot], a[col]);
    std::swap(b[pivot], b[col]);
    for (std::size_t r = col + 1; r < n; ++r) {
      const double factor = a[r][col] / a[col][col];
      if (factor == 0.0) continue;
      for (std::size_t k = col; k < n; ++k) a[r][k] -= factor * a[col][k];
      b[r] -= factor * b[col];
    }
  }
  std::vector<double> x(n);
  for (std::size_t i = n; i-- > 0;) {
    double s = b[i];
    for (std::size_t k = i + 1; k < n; ++k) s -= a[i][k] * x[k];
    x[i] = s / a[i][i];
  }
  return x;
}

JacksonResult jackson(const std::vector<double>& external_arrival_per_s,
                      const std::vector<double>& service_rate_per_s,
                      const std::vector<int>& servers,
                      const std::vector<std::vector<double>>& routing) {
  const std::size_t n = external_arrival_per_s.size();
  if (n == 0) throw std::invalid_argument("jackson: the network has no nodes");
  if (service_rate_per_s.size() != n || servers.size() != n || routing.size() != n)
    throw std::invalid_argument("jackson: external arrivals, service rates, servers and routing "
                                "must all have one entry per node");
  double external_total = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    const std::string node = "jackson node " + std::to_string(i);
    if (!(external_arrival_per_s[i] >= 0) || !std::isfinite(external_arrival_per_s[i]))
      throw std::invalid_argument(node + ": external arrival rate must be finite and >= 0");
    external_total += external_arrival_per_s[i];
    require_positive(service_rate_per_s[i], (node + " service rate").c_str());
    require_servers(servers[i]);
    if (routing[i].size() != n)
      throw std::invalid_argument(node + ": routing row must have one entry per node");
    double row_sum = 0.0;
    for (double p : routing[i]) {
      if (!(p >= 0 && p <= 1))
        throw std::invalid_argument(node + ": routing probabilities must lie in [0,1]");
      row_sum += p;
    }
    if (row_sum > 1.0 + 1e-9)
      throw std::invalid_argument(node + ": routing row sums to more than 1");
  }
  if (!(external_total > 0))
    throw std::invalid_argument("jackson: total external arrival rate must be > 0");

  // lambda = gamma + lambda P  <=>  (I - P^T) lambda = gamma.
  std::vector<std::vector<double>> m(n, std::vector<double>(n, 0.0));
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j) m[i][j] = (i == j ? 1.0 : 0.0) - routing[j][i];
  JacksonResult result;
  try {
    result.arrival_rate_per_s = solve_linear(m, external_arrival_per_s);
  } catch (const std::invalid_argument&) {
    throw std::invalid_argument("jackson: traffic equations are singular (some jobs never leave "
                                "the network: a closed routing loop)");
  }

  double total_in_system = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    double& lambda = result.arrival_rate_per_s[i];
    if (lambda < 0 && lambda > -1e-12 * external_total) lambda = 0;  // round-off only
    if (lambda < 0)
      throw std::invalid_argument("jackson: negative arrival rate at node " + std::to_string(i) +
                                  " (routing matrix is not substochastic)");
    QueueFigures f;  // an unreached node is idle: all figures zero
    if (lambda > 0)
      f = mmc_checked(lambda, service_rate_per_s[i], servers[i],
                      "jackson node " + std::to_string(i));
    total_in_system += f.mean_in_system;
    result.nodes.push_back(f);
  }
  result.throughput_per_s = external_total;
  result.mean_response_s = total_in_system / external_total;
  return result;
}

}  // namespace archlab::theory
