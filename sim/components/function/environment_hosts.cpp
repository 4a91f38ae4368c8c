#include "sim/components/function/environment_hosts.hpp"

namespace archlab {

Compute::HostId EnvironmentHosts::take(Compute& compute)
{
  if (free_.empty())
    prepare(compute, 1);
  auto host = free_.back();
  free_.pop_back();
  return host;
}

void EnvironmentHosts::prepare(Compute& compute, std::size_t count)
{
  for (std::size_t i = 0; i < count; ++i)
    free_.push_back(compute.dedicated_core(owner_id_ + "/core-" + std::to_string(made_++), cpu_speed_));
}

}  // namespace archlab
