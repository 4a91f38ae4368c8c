#include "sim/components/table/store_calls.hpp"

#include "sim/core/world.hpp"

namespace archlab {

void count_arrival(StationStats& stats, const Call& call, double now_s)
{
  stats.arrive(call.request->is_measured);
  stats.busy.add(now_s, 1);
}

void log_unknown_operation_once(EventLog& log, bool& has_logged, double now_s, const std::string& source_id,
                                const char* store_kind, Operation operation)
{
  if (!has_logged)
    log.add(now_s, source_id, std::string("a ") + store_kind + " cannot take the operation '" + operation_name(operation) +
                                  "': answered failed (logged once)");
  has_logged = true;
}

void send_answer(StationStats& stats, const Call& call, double arrived_s, double now_s, const Answer& answer)
{
  bool is_measured = call.request->is_measured;
  stats.busy.add(now_s, -1);
  if (answer.outcome == Outcome::rejected)
    stats.reject(is_measured);
  else
    stats.finish(now_s - arrived_s, answer.outcome == Outcome::ok, is_measured);
  call.caller->on_answer(call, answer);
}

}  // namespace archlab
