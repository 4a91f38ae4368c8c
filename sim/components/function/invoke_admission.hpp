// Whether Lambda runs an invocation now, and on what: a warm environment, a new (cold) one, or not at
// all (throttled, HTTP 429). Two limits apply (docs/aws-facts.md, Lambda):
// - concurrency: a function with reserved concurrency has exactly that much; the others share what
//   the account's limit (1,000 by default) leaves unreserved. Provisioned environments count against
//   it from the start, whether busy or not;
// - the scaling rate: each function may add 1,000 new environments every 10 s. The allowance refills
//   continuously and what is not used is not saved up, so it is a token bucket holding at most one
//   period's worth, full at the start.
#pragma once

#include <cstdint>

namespace archlab {

// The account's concurrency, shared by every function of a model (a World side table).
struct ConcurrencyAccount {
  int limit = 1000;
  int reserved_total = 0;     // what functions with reserved concurrency hold
  int unreserved_in_use = 0;  // environments of the other functions, initializing or busy, plus their provisioned ones
  int unreserved() const { return limit - reserved_total; }
};

class ScalingAllowance {
public:
  explicit ScalingAllowance(double environments_per_10_s);
  bool can_add(double now_s);  // at least one new environment may start now
  void add(double now_s);      // one has
  double available(double now_s);

private:
  double capacity_;
  double refill_per_s_;
  double tokens_;
  double updated_s_ = 0;
};

enum class InvokeAdmission : std::uint8_t { warm_provisioned, warm, cold, throttled_concurrency, throttled_scaling_rate };
const char* invoke_admission_name(InvokeAdmission admission);
inline bool is_throttled(InvokeAdmission admission)
{
  return admission == InvokeAdmission::throttled_concurrency || admission == InvokeAdmission::throttled_scaling_rate;
}

struct AdmissionInput {
  bool has_idle_provisioned = false;  // already counted against the limit: always usable
  bool has_idle_on_demand = false;
  bool is_under_limit = false;        // one more on-demand environment would stay within the concurrency limit
  bool may_add_environment = false;   // the scaling rate allows a new one now
};

// Provisioned first (no cold start, already counted), then within the limit the newest warm
// environment, then a new one if the scaling rate allows.
InvokeAdmission admit(const AdmissionInput& input);

// Lambda's CPU at a memory size: memory_mb / 1,769 of a vCPU, at most 6 (AWS: 1,769 MB buys one
// vCPU-second per second; 10,240 MB, the most, about 5.8). The environment may show more cores than
// that (two from 128 MB), but the share is what it can use in all.
double cpu_share_vcpus(double memory_mb);
// The speed of a single-threaded handler there, in reference vCPUs: the share up to one vCPU, and no
// more above 1,769 MB, as one thread runs on one core (AWS: past 1,769 MB extra memory speeds up only
// a handler that runs threads or processes in parallel). cpu_ms is modelled as one thread's work.
double handler_cpu_speed(double memory_mb);

// GB-seconds billed for one invocation: its duration rounded up to the next millisecond (AWS bills per ms)
// times its memory in GB (memory_mb / 1,024).
double billed_gb_s(double duration_s, double memory_mb);

}  // namespace archlab
