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

double RunControl::progress(double now_s) const
{
  if (settings_.requests > 0)
    return static_cast<double>(sent_) / static_cast<double>(settings_.requests);
  return settings_.duration_s > 0 ? now_s / settings_.duration_s : 0.0;
}

}  // namespace archlab
