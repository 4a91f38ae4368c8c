// VPC endpoint: a private path from the VPC to one AWS service. A gateway endpoint (S3, DynamoDB) is
// a route-table entry, free and regional; an interface endpoint (ECR, and most other services) is a
// network interface in each of its zones, billed per zone-hour and per GB, and a zone's outage takes
// its interface with it. Pulling an image from ECR without a NAT gateway needs interface endpoints
// (the registry's API and Docker endpoints) and S3's gateway endpoint for the layers: one part here
// stands for `endpoints` of them, and the gateway's share is free.
#pragma once

#include "sim/core/component.hpp"
#include "sim/core/registry.hpp"
#include "sim/instances/image_pull.hpp"

#include <set>
#include <string>
#include <vector>

namespace archlab {

class VpcEndpoint final : public Component, public Egress {
public:
  explicit VpcEndpoint(const ComponentSetup& setup);
  static ComponentType type_description();

  void accept(const Call& call) override;
  void apply_fault(const FaultEvent& fault, World& world) override;
  void add_summary(nlohmann::json& summary, double end_s) const override;
  void add_billing(std::vector<BillingLine>& billing, double end_s) const override;

  bool carries_from(const std::string& zone) const override;
  void carry(double bytes) override { bytes_processed_ += bytes; }

private:
  World& world_;
  bool is_interface_;
  int endpoints_;
  std::vector<std::string> zones_;
  std::set<std::string> zones_down_;
  double bytes_processed_ = 0;
};

}  // namespace archlab
