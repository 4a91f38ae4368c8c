#include "sim/core/call.hpp"

namespace archlab {

namespace {
class NobodyListens final : public Caller {
public:
  void on_answer(const Call&, const Answer&) override {}
};
}  // namespace

Caller& nobody_listens()
{
  static NobodyListens nobody;
  return nobody;
}

const char* status_name(Status status)
{
  switch (status) {
    case Status::none: return "none";
    case Status::found: return "found";
    case Status::not_found: return "not_found";
    case Status::hit: return "hit";
    case Status::miss: return "miss";
    case Status::throttled: return "throttled";
    case Status::condition_failed: return "condition_failed";
    case Status::unauthorized: return "unauthorized";
  }
  return "?";
}

}  // namespace archlab
