#include "sim/components/function/environment_hosts.hpp"

namespace archlab {

EnvironmentHosts::Slot& EnvironmentHosts::slot(std::uint32_t environment)
{
  if (slots_.size() <= environment)
    slots_.resize(environment + 1);
  return slots_[environment];
}

Compute::HostId EnvironmentHosts::new_host(Compute& compute)
{
  if (!free_.empty()) {
    auto host = free_.back();
    free_.pop_back();
    return host;
  }
  return compute.sized_host(owner_id_ + "/environment-" + std::to_string(made_++), 1, cpu_speed_, "");
}

void EnvironmentHosts::prepare(Compute& compute, std::uint32_t environment)
{
  Slot& held = slot(environment);
  if (!held.host)
    held.host = new_host(compute);
}

Compute::HostId EnvironmentHosts::start_work(Compute& compute, std::uint32_t environment)
{
  prepare(compute, environment);
  Slot& held = slot(environment);
  held.is_computing = true;
  return *held.host;
}

void EnvironmentHosts::finished(std::uint32_t environment, Compute::HostId host)
{
  Slot& held = slot(environment);
  if (held.host == host)
    held.is_computing = false;
  else
    free_.push_back(host);  // the work of an environment reset meanwhile
}

void EnvironmentHosts::reset(std::uint32_t environment)
{
  Slot& held = slot(environment);
  if (held.is_computing)
    held = Slot{};
}

}  // namespace archlab
