#include "sim/core/run_control.hpp"

namespace archlab {

void RunControl::warm_up_ends(double now_s)
{
  if (is_warm_)
    return;
  is_warm_ = true;
  measured_from_s_ = now_s;
  if (on_warmup_end)
    on_warmup_end(now_s);
}

bool RunControl::on_send(double now_s)
{
  if (settings_.warmup_requests > 0 && sent_ == settings_.warmup_requests)
    warm_up_ends(now_s);
  ++sent_;
  ++in_flight_;
  return is_warm_;
}

void RunControl::on_done(double now_s)
{
  --in_flight_;
  if (settings_.requests > 0 && sent_ == settings_.requests && in_flight_ == 0 && !is_over_) {
    is_over_ = true;
    end_s_ = now_s;
  }
}

void RunControl::end_at(double now_s)
{
  if (is_over_)
    return;
  is_over_ = true;
  end_s_ = now_s;
}

std::string RunControl::why_unfinished() const
{
  if (in_flight_ > 0)
    return "the simulation ran out of events with " + std::to_string(in_flight_) + " requests unanswered (a component lost them)";
  return "the simulation ran out of events after " + std::to_string(sent_) + " of run.requests = " + std::to_string(settings_.requests) +
         " requests were sent: no client had another request to send";
}

double RunControl::progress(double now_s) const
{
  if (settings_.requests > 0)
    return static_cast<double>(sent_) / static_cast<double>(settings_.requests);
  return settings_.duration_s > 0 ? now_s / settings_.duration_s : 0.0;
}

}  // namespace archlab
