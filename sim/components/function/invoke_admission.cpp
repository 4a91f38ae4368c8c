#include "sim/components/function/invoke_admission.hpp"

#include <algorithm>
#include <cmath>

namespace archlab {

ScalingAllowance::ScalingAllowance(double environments_per_10_s)
    : capacity_(environments_per_10_s), refill_per_s_(environments_per_10_s / 10.0), tokens_(environments_per_10_s)
{
}

double ScalingAllowance::available(double now_s)
{
  tokens_ = std::min(capacity_, tokens_ + (now_s - updated_s_) * refill_per_s_);
  updated_s_ = now_s;
  return tokens_;
}

bool ScalingAllowance::can_add(double now_s)
{
  return available(now_s) >= 1 - 1e-9;  // refills are sums of small steps: do not lose one to rounding
}

void ScalingAllowance::add(double now_s)
{
  tokens_ = available(now_s) - 1;
}

const char* invoke_admission_name(InvokeAdmission admission)
{
  switch (admission) {
    case InvokeAdmission::warm_provisioned: return "warm_provisioned";
    case InvokeAdmission::warm: return "warm";
    case InvokeAdmission::cold: return "cold";
    case InvokeAdmission::throttled_concurrency: return "throttled_concurrency";
    case InvokeAdmission::throttled_scaling_rate: return "throttled_scaling_rate";
  }
  return "?";
}

InvokeAdmission admit(const AdmissionInput& input)
{
  if (input.has_idle_provisioned)
    return InvokeAdmission::warm_provisioned;
  if (!input.is_under_limit)
    return InvokeAdmission::throttled_concurrency;
  if (input.has_idle_on_demand)
    return InvokeAdmission::warm;
  return input.may_add_environment ? InvokeAdmission::cold : InvokeAdmission::throttled_scaling_rate;
}

double cpu_share_vcpus(double memory_mb)
{
  constexpr double mb_per_vcpu = 1769;
  constexpr double max_vcpus = 6;
  return std::min(memory_mb / mb_per_vcpu, max_vcpus);
}

double handler_cpu_speed(double memory_mb)
{
  return std::min(cpu_share_vcpus(memory_mb), 1.0);
}

double billed_gb_s(double duration_s, double memory_mb)
{
  // The small allowance keeps a duration computed as 0.1 + 0.2 from being billed an extra ms.
  double billed_ms = std::ceil(duration_s * 1e3 - 1e-6);
  return std::max(billed_ms, 0.0) * 1e-3 * memory_mb / 1024.0;
}

}  // namespace archlab
