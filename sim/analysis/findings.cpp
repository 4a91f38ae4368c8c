#include "sim/analysis/findings.hpp"

#include "sim/analysis/call_structure.hpp"
#include "sim/analysis/egress_analysis.hpp"
#include "sim/analysis/failure_analysis.hpp"
#include "sim/analysis/retry_analysis.hpp"

#include <sstream>

namespace archlab::analysis {

Finding make_finding(std::string kind, std::string severity, std::vector<std::string> components)
{
  Finding finding;
  finding.kind = std::move(kind);
  finding.severity = std::move(severity);
  finding.components = std::move(components);
  return finding;
}

std::vector<Finding> analyze(const Architecture& architecture)
{
  auto findings = single_points_of_failure(architecture);
  for (auto& finding : call_structure_findings(architecture))
    findings.push_back(std::move(finding));
  for (auto& finding : retry_findings(architecture))
    findings.push_back(std::move(finding));
  for (auto& finding : egress_findings(architecture))
    findings.push_back(std::move(finding));
  return findings;
}

nlohmann::ordered_json findings_json(const std::string& model_name, const std::vector<Finding>& findings)
{
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  std::size_t warnings = 0;
  for (const auto& finding : findings) {
    warnings += finding.severity == "warning" ? 1 : 0;
    list.push_back({{"kind", finding.kind},
                    {"severity", finding.severity},
                    {"components", finding.components},
                    {"summary", finding.summary},
                    {"why", finding.why},
                    {"fix", finding.fix},
                    {"details", finding.details}});
  }
  return {{"model", model_name}, {"warnings", warnings}, {"findings", list}};
}

std::string findings_text(const std::string& model_name, const std::vector<Finding>& findings)
{
  std::ostringstream text;
  std::size_t warnings = 0;
  for (const auto& finding : findings)
    warnings += finding.severity == "warning" ? 1 : 0;
  text << "model " << model_name << ": " << warnings << (warnings == 1 ? " warning, " : " warnings, ")
       << findings.size() - warnings << (findings.size() - warnings == 1 ? " note\n" : " notes\n");
  for (const auto& finding : findings) {
    text << "\n" << (finding.severity == "warning" ? "warning" : "note") << " [" << finding.kind << "] " << finding.summary << "\n"
         << "  why: " << finding.why << "\n";
    if (!finding.fix.empty())
      text << "  fix: " << finding.fix << "\n";
  }
  return text.str();
}

}  // namespace archlab::analysis
