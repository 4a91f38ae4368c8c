#include "sim/components/consumers/message_steps.hpp"

#include <catch2/catch.hpp>
#include <limits>

using namespace archlab;

namespace {
// The seed's worker: GetItem, run, UpdateItem, DeleteMessage.
std::vector<StepTraits> seed_steps(bool skips_finished)
{
  return {{.skip_if_finished = skips_finished}, {.runs_job = true}, {.writes_result = true}, {.deletes_message = true}};
}
constexpr double no_limit = std::numeric_limits<double>::infinity();
}  // namespace

TEST_CASE("steps run in order and finish after the last", "[consumers]")
{
  auto steps = seed_steps(false);
  CHECK(after_step(steps, 0, true, JobState::pending).index == 1);
  CHECK(after_step(steps, 2, true, JobState::unknown).index == 3);
  CHECK(after_step(steps, 3, true, JobState::unknown).kind == NextMove::finished);
}

TEST_CASE("a failed step is an error wherever it is", "[consumers]")
{
  auto steps = seed_steps(true);
  CHECK(after_step(steps, 0, false, JobState::done).kind == NextMove::error);
  CHECK(after_step(steps, 3, false, JobState::unknown).kind == NextMove::error);
}

TEST_CASE("a worker that checks the item skips a finished job straight to the delete", "[consumers]")
{
  auto steps = seed_steps(true);
  CHECK(after_step(steps, 0, true, JobState::done).index == 3);
  CHECK(after_step(steps, 0, true, JobState::failed).index == 3);
  CHECK(after_step(steps, 0, true, JobState::pending).index == 1);
  CHECK(after_step(seed_steps(false), 0, true, JobState::done).index == 1);  // the seed does not check: it runs the job again
}

TEST_CASE("skipping with no delete step left ends the message", "[consumers]")
{
  std::vector<StepTraits> steps = {{.skip_if_finished = true}, {.runs_job = true}};
  CHECK(after_step(steps, 0, true, JobState::done).kind == NextMove::finished);
}

TEST_CASE("code runs for its time, poison fails, never-ending code stops only at a time limit", "[consumers]")
{
  CHECK(run_code(2, false, false, no_limit).duration_s == 2);
  CHECK_FALSE(run_code(2, false, false, no_limit).fails);
  CHECK(run_code(2, true, false, no_limit).fails);
  CHECK(run_code(2, false, true, no_limit).duration_s == no_limit);
  auto stopped = run_code(2, false, true, 30);
  CHECK(stopped.duration_s == 30);
  CHECK(stopped.fails);
  CHECK(run_code(45, false, false, 30).fails);  // slow but honest code also hits the limit
}
