// When the run measures and when it ends: warm-up by time or by request count, end by duration or
// once the last of `requests` has been answered. Clients ask it before sending.
#pragma once

#include "sim/core/model.hpp"

#include <cstdint>
#include <functional>
#include <string>

namespace archlab {

class RunControl {
public:
  explicit RunControl(const RunSettings& settings) : settings_(settings) {}

  bool may_send() const { return !is_over_ && (settings_.requests == 0 || sent_ < settings_.requests); }
  bool on_send(double now_s);      // counts a request; returns whether it is measured
  void on_done(double now_s);      // a request the client has stopped waiting for (answered or given up)
  void end_at(double now_s);       // duration reached
  void warm_up_ends(double now_s); // by time, or by on_send() at the warm-up request count

  bool is_over() const { return is_over_; }
  double end_s() const { return end_s_; }
  double measured_from_s() const { return measured_from_s_; }
  std::uint64_t sent() const { return sent_; }
  std::uint64_t in_flight() const { return in_flight_; }
  double progress(double now_s) const;  // 0..1 for the progress line
  std::string why_unfinished() const;    // when the events ran out before the run was over

  std::function<void(double now_s)> on_warmup_end;  // set by the simulation: restart every statistic

private:
  RunSettings settings_;
  std::uint64_t sent_ = 0;
  std::uint64_t in_flight_ = 0;
  bool is_over_ = false;
  bool is_warm_ = false;
  double end_s_ = 0;
  double measured_from_s_ = 0;
};

}  // namespace archlab
