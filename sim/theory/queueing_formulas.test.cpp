#include "sim/theory/queueing_formulas.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

using namespace archlab::theory;

namespace {
constexpr double kEps = 1e-9;
Approx near(double v) { return Approx(v).epsilon(kEps).margin(1e-12); }
}  // namespace

TEST_CASE("M/M/1 matches textbook values", "[theory]") {
  const auto f = mmc(8.0, 10.0, 1);
  CHECK(f.utilization == near(0.8));
  CHECK(f.mean_response_s == near(0.5));   // 1/(mu - lambda)
  CHECK(f.mean_in_system == near(4.0));    // rho/(1-rho)
  CHECK(f.mean_wait_s == near(0.4));       // rho/(mu - lambda)
  CHECK(f.mean_in_queue == near(3.2));     // rho^2/(1-rho)
  CHECK(f.throughput_per_s == near(8.0));
  CHECK(f.blocking_probability == 0.0);
}

TEST_CASE("Erlang B and C small cases", "[theory]") {
  for (double a : {0.1, 0.5, 1.0, 3.0}) CHECK(erlang_b(1, a) == near(a / (1 + a)));
  // Two servers, a = 1: B = (1/2)/(1 + 1 + 1/2) = 0.2.
  CHECK(erlang_b(2, 1.0) == near(0.2));
  // Single server: probability of waiting is rho.
  CHECK(erlang_c(1, 0.7) == near(0.7));
  CHECK(erlang_c(4, 3.2) == Approx(0.5964324717874).epsilon(1e-10));
  CHECK(erlang_b(3, 0.0) == 0.0);
}

TEST_CASE("M/M/4 via Erlang C", "[theory]") {
  const auto f = mmc(3.2, 1.0, 4);
  CHECK(f.utilization == near(0.8));
  CHECK(f.mean_response_s == Approx(1.7455405897).epsilon(1e-9));
  CHECK(f.mean_wait_s == Approx(0.7455405897).epsilon(1e-9));
  CHECK(f.mean_in_system == near(3.2 * f.mean_response_s));
  CHECK(f.mean_in_queue == near(f.mean_in_system - 3.2));  // L = Lq + a
}

TEST_CASE("Erlang C stays finite for a thousand servers", "[theory]") {
  const double c = erlang_c(1000, 990.0);
  CHECK(std::isfinite(c));
  CHECK(c > 0.0);
  CHECK(c < 1.0);
  // Waiting probability grows with load at fixed servers.
  CHECK(erlang_c(1000, 950.0) < c);
  const auto f = mmc(990.0, 1.0, 1000);
  CHECK(std::isfinite(f.mean_response_s));
  CHECK(f.mean_response_s > 1.0);
}

TEST_CASE("M/D/1 halves the M/M/1 wait", "[theory]") {
  const auto f = md1(8.0, 0.1);
  CHECK(f.utilization == near(0.8));
  CHECK(f.mean_wait_s == near(0.2));  // rho D / (2(1-rho))
  CHECK(f.mean_response_s == near(0.3));
  CHECK(f.mean_in_system == near(2.4));
  CHECK(f.mean_in_queue == near(1.6));
}

TEST_CASE("M/G/1 with cv = 1 equals M/M/1", "[theory]") {
  const auto g = mg1(8.0, 0.1, 1.0);
  const auto m = mmc(8.0, 10.0, 1);
  CHECK(g.mean_response_s == near(m.mean_response_s));
  CHECK(g.mean_wait_s == near(m.mean_wait_s));
  CHECK(g.mean_in_system == near(m.mean_in_system));
  CHECK(g.mean_in_queue == near(m.mean_in_queue));
  // Higher variability, longer wait: cv = 2 gives (1+4)/2 times the M/M/1 wait.
  CHECK(mg1(8.0, 0.1, 2.0).mean_wait_s == near(2.5 * m.mean_wait_s));
}

TEST_CASE("M/M/1/K small case by hand", "[theory]") {
  // c = 1, 3 waiting places: states 0..4, p_n proportional to 0.8^n.
  const double rho = 0.8;
  double norm = 0, sum_n = 0, sum_q = 0;
  for (int n = 0; n <= 4; ++n) {
    const double w = std::pow(rho, n);
    norm += w;
    sum_n += n * w;
    if (n > 1) sum_q += (n - 1) * w;
  }
  const double p4 = std::pow(rho, 4) / norm;  // 0.4096 / 3.3616
  const auto f = mmck(8.0, 10.0, 1, 3);
  CHECK(f.blocking_probability == near(p4));
  CHECK(f.blocking_probability == Approx(0.121846739648).epsilon(1e-10));
  CHECK(f.throughput_per_s == near(8.0 * (1 - p4)));
  CHECK(f.mean_in_system == near(sum_n / norm));
  CHECK(f.mean_in_queue == near(sum_q / norm));
  CHECK(f.mean_response_s == near((sum_n / norm) / (8.0 * (1 - p4))));
  CHECK(f.mean_wait_s == near((sum_q / norm) / (8.0 * (1 - p4))));
  CHECK(f.utilization == near(1.0 - 1.0 / norm));  // busy probability for c = 1
}

TEST_CASE("M/M/c/K limits", "[theory]") {
  SECTION("no waiting room is Erlang B") {
    const auto f = mmck(3.0, 1.0, 5, 0);
    CHECK(f.blocking_probability == near(erlang_b(5, 3.0)));
    CHECK(f.mean_in_queue == near(0.0));
    CHECK(f.mean_response_s == near(1.0));
  }
  SECTION("a huge waiting room approaches M/M/c") {
    const auto k = mmck(40.0, 1.0, 50, 1000);
    const auto m = mmc(40.0, 1.0, 50);
    CHECK(k.blocking_probability < 1e-60);
    CHECK(k.mean_response_s == Approx(m.mean_response_s).epsilon(1e-9));
    CHECK(k.mean_response_s == Approx(1.0086952549527).epsilon(1e-9));
  }
  SECTION("overload is fine with finite capacity and does not overflow") {
    const auto f = mmck(500.0, 1.0, 200, 1000);
    CHECK(std::isfinite(f.mean_response_s));
    CHECK(f.utilization == Approx(1.0).epsilon(1e-9));
    CHECK(f.blocking_probability == Approx(0.6).epsilon(1e-9));  // 1 - c mu / lambda
  }
}

TEST_CASE("Jackson tandem of two M/M/1 sums their responses", "[theory]") {
  const auto r = jackson({5.0, 0.0}, {10.0, 8.0}, {1, 1}, {{0.0, 1.0}, {0.0, 0.0}});
  REQUIRE(r.arrival_rate_per_s.size() == 2);
  CHECK(r.arrival_rate_per_s[0] == near(5.0));
  CHECK(r.arrival_rate_per_s[1] == near(5.0));
  CHECK(r.mean_response_s == near(1.0 / (10 - 5) + 1.0 / (8 - 5)));
  CHECK(r.throughput_per_s == near(5.0));
  CHECK(r.nodes[1].mean_in_system == near(mmc(5.0, 8.0, 1).mean_in_system));
}

TEST_CASE("Jackson feedback loop inflates the arrival rate", "[theory]") {
  const auto r = jackson({4.0}, {10.0}, {1}, {{0.5}});
  CHECK(r.arrival_rate_per_s[0] == near(8.0));  // 4 / (1 - 0.5)
  // L = 4 at rho 0.8; Little over the network uses the external rate 4.
  CHECK(r.nodes[0].mean_in_system == near(4.0));
  CHECK(r.mean_response_s == near(1.0));
  CHECK(r.throughput_per_s == near(4.0));
}

TEST_CASE("Jackson three-node network with branching and multi-server node", "[theory]") {
  // 0 -> 1 (0.6), 0 -> 2 (0.4); 1 -> 0 (0.2); 2 leaves.
  const std::vector<std::vector<double>> p = {{0, 0.6, 0.4}, {0.2, 0, 0}, {0, 0, 0}};
  const auto r = jackson({10.0, 0.0, 2.0}, {20.0, 5.0, 10.0}, {1, 2, 1}, p);
  // lambda0 = 10 + 0.2 lambda1, lambda1 = 0.6 lambda0 -> lambda0 = 10/0.88.
  const double l0 = 10.0 / 0.88;
  CHECK(r.arrival_rate_per_s[0] == near(l0));
  CHECK(r.arrival_rate_per_s[1] == near(0.6 * l0));
  CHECK(r.arrival_rate_per_s[2] == near(2.0 + 0.4 * l0));
  const double total_l = mmc(l0, 20, 1).mean_in_system + mmc(0.6 * l0, 5, 2).mean_in_system +
                         mmc(2.0 + 0.4 * l0, 10, 1).mean_in_system;
  CHECK(r.mean_response_s == near(total_l / 12.0));
}

TEST_CASE("Gaussian elimination needs pivoting", "[theory]") {
  // A zero on the first diagonal entry would break naive elimination.
  const auto x = solve_linear({{0, 1}, {1, 1}}, {2, 3});
  CHECK(x[0] == near(1.0));
  CHECK(x[1] == near(2.0));
  CHECK_THROWS_AS(solve_linear({{1, 2}, {2, 4}}, {1, 2}), std::invalid_argument);
}

TEST_CASE("invalid inputs throw", "[theory]") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  CHECK_THROWS_AS(mmc(0.0, 1.0, 1), std::invalid_argument);
  CHECK_THROWS_AS(mmc(1.0, -1.0, 1), std::invalid_argument);
  CHECK_THROWS_AS(mmc(1.0, 1.0, 0), std::invalid_argument);
  CHECK_THROWS_AS(mmc(nan, 1.0, 1), std::invalid_argument);
  CHECK_THROWS_AS(mmc(10.0, 10.0, 1), std::invalid_argument);   // rho = 1
  CHECK_THROWS_AS(mmc(9.0, 2.0, 4), std::invalid_argument);     // lambda > c mu
  CHECK_THROWS_AS(md1(10.0, 0.1), std::invalid_argument);
  CHECK_THROWS_AS(md1(1.0, 0.0), std::invalid_argument);
  CHECK_THROWS_AS(mg1(1.0, 0.1, -0.5), std::invalid_argument);
  CHECK_THROWS_AS(mmck(1.0, 1.0, 1, -1), std::invalid_argument);
  CHECK_THROWS_AS(mmck(0.0, 1.0, 1, 3), std::invalid_argument);
  CHECK_THROWS_AS(erlang_b(0, 1.0), std::invalid_argument);
  CHECK_THROWS_AS(erlang_b(1, -1.0), std::invalid_argument);
  CHECK_THROWS_AS(erlang_c(2, 2.0), std::invalid_argument);
  CHECK_THROWS_WITH(mmc(10.0, 10.0, 1), Catch::Contains("unstable"));

  // Jackson: unstable node, closed loop, bad shapes, bad probabilities.
  CHECK_THROWS_WITH(jackson({6.0}, {10.0}, {1}, {{0.5}}), Catch::Contains("node 0"));
  CHECK_THROWS_WITH(jackson({1.0, 0.0}, {10.0, 10.0}, {1, 1}, {{0, 1}, {1, 0}}),
                    Catch::Contains("singular"));
  CHECK_THROWS_AS(jackson({1.0}, {10.0, 10.0}, {1, 1}, {{0, 0}, {0, 0}}), std::invalid_argument);
  CHECK_THROWS_AS(jackson({1.0}, {10.0}, {1}, {{1.5}}), std::invalid_argument);
  CHECK_THROWS_AS(jackson({1.0, 0.0}, {10.0, 10.0}, {1, 1}, {{0.7, 0.7}, {0, 0}}),
                  std::invalid_argument);
  CHECK_THROWS_AS(jackson({0.0}, {10.0}, {1}, {{0.0}}), std::invalid_argument);
}

TEST_CASE("P(wait): Erlang C for M/M/c, rho for M/G/1, conditional on acceptance for M/M/c/K", "[theory]") {
  CHECK(mmc(8.0, 10.0, 1).wait_probability == near(0.8));
  CHECK(mmc(32.0, 10.0, 4).wait_probability == near(erlang_c(4, 3.2)));
  CHECK(mg1(5.0, 0.1, 2.0).wait_probability == near(0.5));
  CHECK(md1(5.0, 0.1).wait_probability == near(0.5));
  // a long waiting line makes M/M/c/K an M/M/c; no waiting place means nobody waits
  CHECK(mmck(32.0, 10.0, 4, 2000).wait_probability == Approx(erlang_c(4, 3.2)).epsilon(1e-6));
  CHECK(mmck(32.0, 10.0, 4, 0).wait_probability == 0.0);
  // M/M/1/2 (one waiting place), lambda = mu: p0 = p1 = p2 = 1/3; accepted arrivals wait if they find 1
  CHECK(mmck(1.0, 1.0, 1, 1).wait_probability == near((1.0 / 3) / (2.0 / 3)));
}

TEST_CASE("M/M/c response-time quantiles", "[theory]") {
  // M/M/1: the response time is exponential with rate mu - lambda
  CHECK(mmc_response_quantile_s(8.0, 10.0, 1, 0.99) == Approx(std::log(100.0) / 2).epsilon(1e-9));
  CHECK(mmc_response_quantile_s(8.0, 10.0, 1, 0.95) == Approx(std::log(20.0) / 2).epsilon(1e-9));
  // M/M/4 at rho 0.8: the survival at the quantile, integrated numerically from the wait's law
  // (an atom of 1 - C at 0, then C (c mu - lambda) e^{-(c mu - lambda) w}) and the service's
  const double lambda = 32, mu = 10, c_wait = erlang_c(4, 3.2), theta = 4 * mu - lambda;
  for (double p : {0.5, 0.95, 0.99}) {
    const double t = mmc_response_quantile_s(lambda, mu, 4, p);
    const int steps = 200000;
    double integral = 0;  // ∫_0^t theta e^{-theta w} e^{-mu (t - w)} dw, by the midpoint rule
    for (int i = 0; i < steps; ++i) {
      const double w = (i + 0.5) * t / steps;
      integral += theta * std::exp(-theta * w) * std::exp(-mu * (t - w)) * t / steps;
    }
    const double survival = (1 - c_wait) * std::exp(-mu * t) + c_wait * (integral + std::exp(-theta * t));
    CHECK(survival == Approx(1 - p).epsilon(1e-6));
  }
  // c mu - lambda = mu (the Erlang-2 case) joins its neighbours continuously
  CHECK(mmc_response_quantile_s(1.0, 1.0, 2, 0.99) == Approx(mmc_response_quantile_s(1.0 + 1e-6, 1.0, 2, 0.99)).epsilon(1e-5));
  CHECK_THROWS_AS(mmc_response_quantile_s(8.0, 10.0, 1, 1.0), std::invalid_argument);
  CHECK_THROWS_AS(mmc_response_quantile_s(12.0, 10.0, 1, 0.5), std::invalid_argument);  // unstable
}
