#include "sim/analysis/egress_analysis.hpp"

#include <map>

namespace archlab::analysis {

std::vector<Finding> egress_findings(const Architecture& architecture)
{
  std::vector<Finding> findings;
  for (const auto& component : architecture.components) {
    if (!component.params.contains("image_pull"))
      continue;
    std::map<std::string, std::vector<std::string>> other_zones_by_nat;  // a NAT gateway → the other zones routed through it
    for (const auto& route : component.params.at("image_pull").at("routes")) {
      const auto* through = architecture.find(route.at("through").get<std::string>());
      if (!through || through->type != "nat_gateway" || !through->params.contains("zone"))
        continue;
      auto zone = route.at("zone").get<std::string>();
      if (zone != through->params.at("zone").get<std::string>())
        other_zones_by_nat[through->id].push_back(zone);
    }
    for (const auto& [nat, zones] : other_zones_by_nat) {
      auto nat_zone = architecture.find(nat)->params.at("zone").get<std::string>();
      Finding finding = make_finding("cross_zone_egress", "warning", {nat, component.id});
      finding.summary = component.id + ": launches in " + join(zones, ", ") + " pull their image through " + nat + " in " + nat_zone;
      finding.why = "a NAT gateway lives in one zone: an outage of " + nat_zone + " takes " + nat + " with it, and the instances " +
                    component.id + " loses with that zone are replaced in " + join(zones, ", ") + ", where every launch fails to pull its "
                    "image (CannotPullContainerError) until " + nat_zone + " is back.";
      finding.fix = "a NAT gateway in each zone, each zone's private subnet routed to its own (image_pull.routes), or interface "
                    "endpoints for ECR in every zone (vpc_endpoint, kind interface), which also save the NAT gateways' hours";
      finding.details = {{"nat_gateway", nat}, {"nat_zone", nat_zone}, {"zones_depending", zones}};
      findings.push_back(std::move(finding));
    }
  }
  return findings;
}

}  // namespace archlab::analysis
