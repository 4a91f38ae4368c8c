#include "sim/components/vpc_endpoint/vpc_endpoint.hpp"

#include "sim/core/fault_plan.hpp"
#include "sim/core/world.hpp"

#include <algorithm>

namespace archlab {

namespace {
void check_vpc_endpoint(const nlohmann::json& params, const std::string& path, std::vector<Problem>& problems)
{
  if (params.at("kind") == "interface" && !params.contains("zones") && !params.contains("zone"))
    problems.push_back({path + ".zones", "an interface endpoint has a network interface in each zone it serves: name them (zones)"});
}
}  // namespace

ComponentType VpcEndpoint::type_description()
{
  return {
      .name = "vpc_endpoint",
      .summary = "a private path from the VPC to an AWS service: a free gateway endpoint (S3, DynamoDB) or an interface endpoint "
                 "in each of its zones (ECR and others), billed per zone-hour and GB",
      .aws_counterpart = "Amazon VPC endpoint (gateway or interface, AWS PrivateLink)",
      .part_kind = PartKind::gateway,
      .params = {choice_param("kind", {"gateway", "interface"}, "interface",
                              "gateway: a route-table entry for S3 or DynamoDB, no charge; interface: a network interface per zone "
                              "(PrivateLink), needed for ECR"),
                 text_param("service", "the AWS service it reaches, e.g. ecr, s3, dynamodb (for the diagram and the bill's reader)")
                     .with_default("ecr"),
                 integer_param("endpoints", 1, "interface endpoints this part stands for, each billed in each zone (ECR needs two: "
                                               "ecr.api and ecr.dkr)").at_least(1).at_most(100)},
      .create = [](const ComponentSetup& setup) -> std::unique_ptr<Component> { return std::make_unique<VpcEndpoint>(setup); },
      .check = check_vpc_endpoint,
      .operations = {},
      .reference_rules = {},
      .check_with_model = {},
      .fault_actions = {"zone_outage"},
      .is_managed_multi_zone = false,
      .signals = {},
      .callers_default_retry = {},
  };
}

VpcEndpoint::VpcEndpoint(const ComponentSetup& setup)
    : Component(setup, "vpc_endpoint"), world_(setup.world), is_interface_(setup.params.at("kind") == "interface"), endpoints_(setup.params.at("endpoints").get<int>())
{
  if (setup.params.contains("zones"))
    zones_ = setup.params.at("zones").get<std::vector<std::string>>();
  else if (setup.params.contains("zone"))
    zones_ = {setup.params.at("zone").get<std::string>()};
}

void VpcEndpoint::accept(const Call& call)
{
  stats_.arrive(call.request->is_measured);
  refuse_operation(call, world_);  // it takes none: traffic is routed through it, never sent to it
}

bool VpcEndpoint::carries_from(const std::string& zone) const
{
  if (!is_interface_)
    return true;  // a route-table entry: regional
  return std::find(zones_.begin(), zones_.end(), zone) != zones_.end() && !zones_down_.contains(zone);
}

void VpcEndpoint::apply_fault(const FaultEvent& fault, World& world)
{
  if (fault.zone.empty() || !fault.target.empty())
    return;
  if (fault.action == "zone_outage")
    zones_down_.insert(fault.zone);
  else if (fault.action == "recover")
    zones_down_.erase(fault.zone);
  (void)world;
}

void VpcEndpoint::add_summary(nlohmann::json& summary, double /*end_s*/) const
{
  summary["kind"] = is_interface_ ? "interface" : "gateway";
  summary["gb_processed"] = bytes_processed_ / 1e9;
}

void VpcEndpoint::add_billing(std::vector<BillingLine>& billing, double end_s) const
{
  if (!is_interface_)
    return;  // gateway endpoints are free
  billing.push_back({"vpce.interface.zone_hour", static_cast<double>(endpoints_) * static_cast<double>(zones_.size()) * end_s / 3600});
  billing.push_back({"vpce.interface.gb_processed", bytes_processed_ / 1e9});
}

}  // namespace archlab
