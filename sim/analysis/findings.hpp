// A finding of `archlab analyze`: what was found, why it matters and what would remove it. Findings are
// advice for students, so each one explains itself in words, and as JSON for graders.
#pragma once

#include "sim/analysis/architecture.hpp"

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace archlab::analysis {

struct Finding {
  std::string kind;                     // single_point_of_failure, sync_call_cycle, unreachable, sync_call_chain, fan_out, no_client,
                                        // retry_amplification, timeout_exceeds_caller, cross_zone_egress
  std::string severity;                 // "warning": a design risk; "info": worth knowing
  std::vector<std::string> components;  // the components it is about, most important first
  std::string summary;                  // one line
  std::string why;
  std::string fix;                      // what would remove it (empty for pure information)
  nlohmann::json details = nlohmann::json::object();
};

Finding make_finding(std::string kind, std::string severity, std::vector<std::string> components);

// Every analysis, in a stable order: points of failure, cycles, unreachable parts, chains, fan-out,
// retries, egress.
std::vector<Finding> analyze(const Architecture& architecture);

nlohmann::ordered_json findings_json(const std::string& model_name, const std::vector<Finding>& findings);
std::string findings_text(const std::string& model_name, const std::vector<Finding>& findings);

}  // namespace archlab::analysis
