#include "sim/components/consumers/message_steps.hpp"

#include <algorithm>
#include <limits>

namespace archlab {

NextMove after_step(const std::vector<StepTraits>& steps, std::size_t index, bool ok, JobState seen)
{
  if (!ok)
    return {NextMove::error};
  bool is_finished = seen == JobState::done || seen == JobState::failed;
  if (steps[index].skip_if_finished && is_finished) {
    for (std::size_t next = index + 1; next < steps.size(); ++next)
      if (steps[next].deletes_message)
        return {NextMove::step, next};
    return {NextMove::finished};
  }
  if (index + 1 < steps.size())
    return {NextMove::step, index + 1};
  return {NextMove::finished};
}

CodeRun run_code(double normal_duration_s, bool is_poison, bool is_never_ending, double time_limit_s)
{
  double wanted_s = is_never_ending ? std::numeric_limits<double>::infinity() : normal_duration_s;
  if (wanted_s > time_limit_s)
    return {time_limit_s, true};  // stopped at the limit: the attempt fails
  return {wanted_s, is_poison};
}

}  // namespace archlab
