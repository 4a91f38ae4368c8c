#include "sim/analysis/retry_analysis.hpp"

#include "sim/analysis/call_structure.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace archlab::analysis {

namespace {
std::string number(double value)
{
  std::ostringstream out;
  out << value;
  return out.str();
}

Finding amplification_finding(const std::string& client, const RetryChain& chain)
{
  int retrying_hops = static_cast<int>(std::count_if(chain.attempts.begin(), chain.attempts.end(), [](int n) { return n > 1; }));
  Finding finding = make_finding("retry_amplification", retrying_hops >= 2 ? "warning" : "info", {chain.components.back()});
  std::string product;
  for (std::size_t i = 0; i < chain.attempts.size(); ++i) {
    product += (i ? " × " : "") + std::to_string(chain.attempts[i]);
  }
  std::string path;
  for (std::size_t i = 0; i < chain.components.size(); ++i)
    path += (i ? " → " : "") + chain.components[i] + (i ? " (" + std::to_string(chain.attempts[i - 1]) + ")" : "");
  const std::string bottom = chain.components.back();
  finding.summary = "one request from " + client + " can become " + number(chain.amplification()) + " calls to " + bottom + ": " + path;
  if (retrying_hops >= 2)
    finding.why = "each layer retries what the layer below it failed, so when " + bottom + " fails the attempts multiply (" +
                  product + " = " + number(chain.amplification()) + "): the load on a failing dependency grows just when it can "
                  "least take it, a retry storm that keeps it down.";
  else
    finding.why = "retries let a call survive a brief failure; against a dependency that stays down they multiply its load by " +
                  number(chain.amplification()) + ".";
  std::vector<std::string> by_default;  // callees whose callers retry without saying so
  for (std::size_t i = 0; i < chain.attempts.size(); ++i)
    if (chain.is_default[i] && chain.attempts[i] > 1)
      by_default.push_back(chain.components[i + 1]);
  if (!by_default.empty())
    finding.why += " The calls to " + join(by_default, ", ") + " set no retry, and retry all the same: the AWS SDK in the caller "
                   "makes its standard retries (give the call its own retry to change them).";
  const bool is_only_sdk = retrying_hops == 1 && by_default.size() == 1;
  finding.fix = retrying_hops >= 2
                    ? "retry at one layer only (give the others retry.max_attempts 1), and bound what is left with a retry "
                      "budget (retry.budget: sdk_standard) or a circuit_breaker"
                : is_only_sdk
                    ? "the SDK's retry quota (sdk_standard) already bounds these retries; against a dependency that stays down, "
                      "a circuit_breaker on the call stops them sooner"
                    : "bound the retries with a retry budget (retry.budget: sdk_standard) or a circuit_breaker, with jittered backoff";
  finding.details = {{"chain", chain.components}, {"attempts", chain.attempts}, {"amplification", chain.amplification()},
                     {"retried_by_default", by_default}};
  return finding;
}

// Calls out of `caller` along the edge `inner`, against the timeout of the call into `caller`.
void timeout_findings(const Architecture& architecture, std::vector<Finding>& findings)
{
  for (const auto& component : architecture.components)
    for (const Edge* inner : architecture.edges_from(component.id)) {
      if (!is_synchronous(inner->interaction) || !inner->timeout_ms)
        continue;
      double waits_ms = *inner->timeout_ms * std::max(1, inner->max_attempts);
      for (const auto& caller : architecture.components)
        for (const Edge* outer : architecture.edges_from(caller.id)) {
          if (outer->to != component.id || !is_synchronous(outer->interaction) || !outer->timeout_ms || waits_ms < *outer->timeout_ms)
            continue;
          Finding finding = make_finding("timeout_exceeds_caller", "warning", {component.id, caller.id});
          std::string wait = inner->max_attempts > 1 ? std::to_string(inner->max_attempts) + " × " + number(*inner->timeout_ms) +
                                                           " ms = " + number(waits_ms) + " ms"
                                                     : number(waits_ms) + " ms";
          finding.summary = component.id + " may wait " + wait + " for " + inner->to + ", not less than " + caller.id + "'s " +
                            number(*outer->timeout_ms) + " ms timeout on its call to " + component.id;
          finding.why = caller.id + " gives up on " + component.id + " while " + component.id + " still waits for (or retries) " +
                        inner->to + ": the caller sees a timeout, and the work below goes on for nobody.";
          finding.fix = "keep each timeout, times its attempts, below the timeout of the call above it (here under " +
                        number(*outer->timeout_ms) + " ms), or raise " + caller.id + "'s";
          finding.details = {{"caller", caller.id}, {"caller_timeout_ms", *outer->timeout_ms}, {"callee", inner->to},
                             {"timeout_ms", *inner->timeout_ms}, {"attempts", inner->max_attempts}, {"waits_ms", waits_ms}};
          findings.push_back(std::move(finding));
        }
    }
}
}  // namespace

double RetryChain::amplification() const
{
  double product = 1;
  for (int n : attempts)
    product *= n;
  return product;
}

RetryChain worst_retry_chain(const Architecture& architecture, const std::string& client)
{
  auto chain_of = [&client](const std::vector<const Edge*>& path) {
    RetryChain chain{{client}, {}, {}};
    for (const Edge* edge : path) {
      chain.components.push_back(edge->to);
      chain.attempts.push_back(std::max(1, edge->max_attempts));
      chain.is_default.push_back(edge->is_default_retry);
    }
    return chain;
  };
  RetryChain best = chain_of({});
  for_each_sync_path(architecture, client, [&](const std::vector<const Edge*>& path) {
    RetryChain candidate = chain_of(path);
    double amplification = candidate.amplification();
    if (amplification > best.amplification() ||
        (amplification == best.amplification() && candidate.components.size() > best.components.size()))
      best = std::move(candidate);
  });
  return best;
}

std::vector<Finding> retry_findings(const Architecture& architecture)
{
  std::vector<Finding> findings;
  for (const auto& component : architecture.components)
    if (component.is_client) {
      RetryChain chain = worst_retry_chain(architecture, component.id);
      if (chain.amplification() > 1)
        findings.push_back(amplification_finding(component.id, chain));
    }
  timeout_findings(architecture, findings);
  return findings;
}

}  // namespace archlab::analysis
