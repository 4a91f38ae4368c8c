// NAT gateway: the way out of a zone's private subnets (here, to pull container images). It lives in
// one zone: an outage of that zone takes it down, and with it the egress of every subnet routed
// through it, whatever zone that subnet is in. Billed per hour, whether or not traffic passes, and per
// GB processed.
#pragma once

#include "sim/core/component.hpp"
#include "sim/core/registry.hpp"
#include "sim/instances/image_pull.hpp"

#include <string>

namespace archlab {

class NatGateway final : public Component, public Egress {
public:
  explicit NatGateway(const ComponentSetup& setup);
  static ComponentType type_description();

  void accept(const Call& call) override;
  void apply_fault(const FaultEvent& fault, World& world) override;
  void add_summary(nlohmann::json& summary, double end_s) const override;
  void add_billing(std::vector<BillingLine>& billing, double end_s) const override;

  bool carries_from(const std::string& zone) const override;
  void carry(double bytes) override { bytes_processed_ += bytes; }

private:
  World& world_;
  std::string zone_;
  bool is_down_ = false;
  double bytes_processed_ = 0;
};

}  // namespace archlab
