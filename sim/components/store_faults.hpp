// The faults a managed store takes as one whole (a table, a document database): "slow" multiplies
// its answers' latency, "fail" answers a share of calls with an error, "recover" ends both. One
// piece, so that every store logs and undoes them alike.
#pragma once

#include "sim/core/fault_plan.hpp"
#include "sim/core/number_text.hpp"
#include "sim/core/world.hpp"

#include <string>

namespace archlab {

struct StoreFaults {
  double latency_factor = 1;
  double failure_probability = 0;

  // Applies a slow, fail or recover fault and logs it as `id`'s; false for any other action.
  // `error` names what a failed call answers ("HTTP 500").
  bool apply(const FaultEvent& fault, World& world, double now_s, const std::string& id, const std::string& error)
  {
    if (fault.action == "slow") {
      latency_factor = fault.latency_factor;
      world.log().add(now_s, id, "slow: answers take " + number_text(fault.latency_factor) + " × longer");
    } else if (fault.action == "fail") {
      failure_probability = fault.failure_probability;
      world.log().add(now_s, id, "fail: a share " + number_text(fault.failure_probability) + " of attempts answer " + error);
    } else if (fault.action == "recover") {
      latency_factor = 1;
      failure_probability = 0;
      world.log().add(now_s, id, "recovered: normal latency, no errors");
    } else {
      return false;
    }
    return true;
  }
};

}  // namespace archlab
