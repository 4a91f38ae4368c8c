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

}  // namespace archlab
