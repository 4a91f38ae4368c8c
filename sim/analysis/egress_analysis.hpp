// Where launches get their images from: a zone whose subnets reach the registry only through a NAT
// gateway in another zone cannot replace its instances when that zone is down, the failure the
// Mythical Mysfits seed's single NAT gateway builds in.
#pragma once

#include "sim/analysis/findings.hpp"

#include <vector>

namespace archlab::analysis {

std::vector<Finding> egress_findings(const Architecture& architecture);

}  // namespace archlab::analysis
