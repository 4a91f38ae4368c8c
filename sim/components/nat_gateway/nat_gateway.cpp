#include "sim/components/nat_gateway/nat_gateway.hpp"

#include "sim/core/fault_plan.hpp"
#include "sim/core/world.hpp"

namespace archlab {

namespace {
void check_nat_gateway(const nlohmann::json& params, const std::string& path, std::vector<Problem>& problems)
{
  if (!params.contains("zone"))
    problems.push_back({path + ".zone", "a NAT gateway lives in one zone: name it (zone)"});
  if (params.contains("zones"))
    problems.push_back({path + ".zones", "a NAT gateway lives in one zone (zone); for one per zone, add one per zone"});
}
}  // namespace

ComponentType NatGateway::type_description()
{
  return {
      .name = "nat_gateway",
      .summary = "the way out of private subnets to the internet and AWS APIs, in one zone; billed per hour and per GB",
      .aws_counterpart = "Amazon VPC NAT gateway (public)",
      .part_kind = PartKind::gateway,
      .params = {},
      .create = [](const ComponentSetup& setup) -> std::unique_ptr<Component> { return std::make_unique<NatGateway>(setup); },
      .check = check_nat_gateway,
      .operations = {},
      .reference_rules = {},
      .check_with_model = {},
      .fault_actions = {"kill", "recover", "zone_outage"},
      .is_managed_multi_zone = false,
      .signals = {},
      .callers_default_retry = {},
  };
}

NatGateway::NatGateway(const ComponentSetup& setup)
    : Component(setup, "nat_gateway"), world_(setup.world), zone_(setup.params.at("zone").get<std::string>())
{
}

void NatGateway::accept(const Call& call)
{
  stats_.arrive(call.request->is_measured);
  refuse_operation(call, world_);  // it takes none: traffic is routed through it, never sent to it
}

// Down in its own zone's outage (a subnet routed to it from another zone loses its way out too).
bool NatGateway::carries_from(const std::string&) const { return !is_down_; }

void NatGateway::apply_fault(const FaultEvent& fault, World& world)
{
  bool hits_me = fault.target.empty() ? fault.zone == zone_ : fault.target == id();
  if (!hits_me)
    return;
  bool goes_down = fault.action == "kill" || fault.action == "zone_outage";
  if (goes_down == is_down_)
    return;
  is_down_ = goes_down;
  world.log().add(clock().now(), id(), goes_down ? "down: no egress through it" : "back: egress again");
}

void NatGateway::add_summary(nlohmann::json& summary, double /*end_s*/) const
{
  summary["zone"] = zone_;
  summary["down_at_end"] = is_down_;
  summary["gb_processed"] = bytes_processed_ / 1e9;
}

void NatGateway::add_billing(std::vector<BillingLine>& billing, double end_s) const
{
  billing.push_back({"nat.hour", end_s / 3600});
  billing.push_back({"nat.gb_processed", bytes_processed_ / 1e9});
}

}  // namespace archlab
