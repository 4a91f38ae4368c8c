// Pulling a container image at launch. A task (or an instance) in a private subnet reaches the
// registry only through its zone's route: a NAT gateway, or an interface VPC endpoint. When that
// path is down (a zone outage took the NAT gateway) the launch fails — ECS's
// CannotPullContainerError — and the group launches again, failing again while the path stays down.
#pragma once

#include "sim/core/parameters.hpp"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace archlab {

// What a task's image is pulled through: a NAT gateway, a VPC endpoint.
class Egress {
public:
  virtual ~Egress() = default;
  // Whether traffic from a subnet in `zone` gets out through it now.
  virtual bool carries_from(const std::string& zone) const = 0;
  virtual void carry(double bytes) = 0;  // for its bill (per GB processed)
};

ParamSpec image_pull_param();  // the optional "image_pull" object of services and consumers

struct ImagePullRoutes {
  double image_bytes = 0;
  std::map<std::string, std::string> through_by_zone;  // zone → the egress component its private subnets route to
};
ImagePullRoutes read_image_pull(const nlohmann::json& image_pull /*validated*/);

// Checks with the whole model: a route goes through a NAT gateway or an interface endpoint (ECR has
// no gateway endpoint), from a zone the instances are placed in, and no zone has two routes.
void check_image_pull(const nlohmann::json& params, const std::string& path, const nlohmann::json& document, std::vector<Problem>& problems);

// The egress a launch in `zone` pulls through, or nothing: no route from that zone.
const std::string* route_from(const ImagePullRoutes& routes, const std::string& zone);

}  // namespace archlab
