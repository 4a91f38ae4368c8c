#include "sim/resilience/outcome.hpp"

namespace archlab {

const char* outcome_name(Outcome outcome)
{
  switch (outcome) {
    case Outcome::ok: return "ok";
    case Outcome::rejected: return "rejected";
    case Outcome::failed: return "failed";
    case Outcome::timed_out: return "timed_out";
  }
  return "?";
}

}  // namespace archlab
