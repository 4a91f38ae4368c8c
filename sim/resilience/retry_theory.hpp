// Closed forms for retries, the oracles the retry rules are tested against (and that `archlab
// analyze` and `archlab theory` can print). p is the probability that one attempt fails,
// independently of the others; n is max_attempts, the first attempt included.
#pragma once

#include "sim/resilience/backoff.hpp"

#include <optional>
#include <vector>

namespace archlab {

// E[attempts per call] = 1 + p + … + p^(n−1) = (1 − p^n)/(1 − p); n when p = 1.
double expected_attempts(double failure_probability, int max_attempts);

// P(the call fails after all its attempts) = p^n.
double final_failure_probability(double failure_probability, int max_attempts);

// Worst case of a chain of retrying hops (every attempt fails): the product of their max_attempts,
// e.g. 3 attempts at each of 5 layers: 3^5 = 243 calls on the last one (Google SRE book, ch. 22).
double worst_case_amplification(const std::vector<int>& max_attempts_per_hop);

// The mean wait before retry k (0: the first): none min(cap, base·2^k); full half of it; equal
// three quarters of it. Decorrelated, uncapped: E[d_0] = 2·base and E[d_k+1] = (base + 3·E[d_k])/2,
// so E[d_k] = 3·base·1.5^k − base; exact while the cap cannot bind (3^(k+1)·base <= cap), nothing
// beyond, where the cap's effect depends on the whole distribution of d_k.
std::optional<double> expected_retry_delay_ms(const BackoffSettings& settings, int retry_index);

// The mean total wait of one call: retry k happens when the first k+1 attempts fail, so
// Σ_{k=0}^{n−2} p^(k+1)·E[d_k]. Nothing when a decorrelated cap can bind.
std::optional<double> expected_total_backoff_ms(const BackoffSettings& settings, double failure_probability, int max_attempts);

// Retries per call in the long run under the SDK retry quota once it has run dry (my derivation,
// not AWS's): a first attempt that succeeds pays `success_refund` back, a retry that succeeds gives
// its cost back (net 0) and a retry that fails keeps `retry_cost`; the balance stays near empty when
// p·R·retry_cost = (1 − p)·success_refund, R = (1 − p)·refund/(p·cost). At most the quota-free
// expectation (attempts − 1): the quota then never runs dry.
double quota_limited_retries_per_call(double failure_probability, int max_attempts, int retry_cost_tokens, int success_refund_tokens);

// Metastability (the fixed-point model of retries into an M/M/1 callee; Bronson et al., HotOS 2021;
// Huang et al., OSDI 2022): callers offer λ requests a second, each attempt is given up after τ and
// tried again at once, up to R retries. The callee serves every attempt, given up or not, so it sees
// x attempts a second, x = λ(1 − p^(R+1))/(1 − p), where p = e^(−(μ − x)τ) is the chance that an M/M/1
// response time (exponential, rate μ − x) exceeds τ. Below the callee's rate μ the equation has a
// low, stable root (the good state) and may have a higher, unstable one (the tipping point: a line
// pushed past it runs away). With λ(R+1) ≥ μ a second stable state exists beyond μ: every attempt
// times out, R + 1 attempts a request keep the callee saturated, and nothing succeeds.
struct RetryLoadStates {
  std::optional<double> good_attempts_per_s;     // the stable root below μ (none: no good state)
  std::optional<double> tipping_attempts_per_s;  // the unstable root above it, if any
  bool can_stay_overloaded = false;              // λ(R+1) ≥ μ
  double good_failure_probability = 1;           // p at the good state: the share of attempts timed out
};
RetryLoadStates retry_load_states(double arrival_per_s, double service_per_s, double timeout_s, int retries);

}  // namespace archlab
