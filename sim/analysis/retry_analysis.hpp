// What the call policies do to a failing dependency: retries at several layers multiply (a retry
// storm), and a timeout below that outlasts its caller's means the caller gives up on work that
// still goes on. Read from each call's `retry.max_attempts` and `timeout_ms` (a client's, an API
// gateway's integration_timeout_ms), and, for a call that sets no retry, its callee's default for
// callers (a table's: the AWS SDK's standard retry, 3 attempts).
#pragma once

#include "sim/analysis/architecture.hpp"
#include "sim/analysis/findings.hpp"

#include <string>
#include <vector>

namespace archlab::analysis {

struct RetryChain {
  std::vector<std::string> components;  // client first
  std::vector<int> attempts;            // one per hop: max_attempts of that call (1: not retried)
  std::vector<bool> is_default;         // one per hop: the attempts are the callee's default (the AWS SDK's, to a table)
  double amplification() const;         // worst case: the product of the attempts
};

// The synchronous chain from `client` whose attempts multiply the most (ties: the longer).
RetryChain worst_retry_chain(const Architecture& architecture, const std::string& client);

// retry_amplification for each client whose worst chain multiplies load; timeout_exceeds_caller for
// each call whose timeout, times its attempts, is not shorter than the timeout of the call into its caller.
std::vector<Finding> retry_findings(const Architecture& architecture);

}  // namespace archlab::analysis
