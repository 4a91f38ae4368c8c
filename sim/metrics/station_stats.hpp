// The figures every component keeps about the calls it handles: counts, time-weighted levels
// (busy workers, waiting line, capacity) and a latency histogram. Components report state changes;
// the summary and the time series read the figures.
#pragma once

#include "sim/metrics/histogram.hpp"

#include <cstdint>
#include <memory>

namespace archlab {

class TimeWeighted {
public:
  void set(double now_s, double level)
  {
    double piece = level_ * (now_s - since_s_);
    area_ += piece;
    lifetime_area_ += piece;
    since_s_ = now_s;
    level_ = level;
  }
  void add(double now_s, double delta) { set(now_s, level_ + delta); }
  double level() const { return level_; }
  double area_until(double now_s) const { return area_ + level_ * (now_s - since_s_); }
  double lifetime_area_until(double now_s) const { return lifetime_area_ + level_ * (now_s - since_s_); }
  void restart(double now_s)
  {
    area_ = 0;
    since_s_ = now_s;
  }

private:
  double level_ = 0;
  double area_ = 0;           // since the last restart (the warm-up)
  double lifetime_area_ = 0;  // since time 0, for the time series
  double since_s_ = 0;
};

struct StationCounts {
  std::uint64_t arrivals = 0;
  std::uint64_t completed = 0;  // answered ok
  std::uint64_t rejected = 0;
  std::uint64_t failed = 0;     // answered with an error or a timeout
};

class StationStats {
public:
  // is_measured false: a warm-up request, counted in the time series only
  void arrive(bool is_measured = true) { counts_.arrivals += is_measured; ++lifetime_.arrivals; }
  void reject(bool is_measured = true) { counts_.rejected += is_measured; ++lifetime_.rejected; }
  void finish(double latency_s, bool ok, bool is_measured = true);
  TimeWeighted busy;      // workers (or slots) in use
  TimeWeighted waiting;   // requests in the waiting line
  TimeWeighted capacity;  // workers (or slots) that exist and are alive

  void restart(double now_s);  // the warm-up is over: forget what came before
  void enable_intervals();     // keep a coarse per-interval histogram for the time series
  void close_interval() { if (interval_latency_) interval_latency_->clear(); }

  const StationCounts& counts() const { return counts_; }      // since the warm-up
  const StationCounts& lifetime() const { return lifetime_; }  // since time 0
  const Histogram& latency() const { return latency_; }
  const Histogram* interval_latency() const { return interval_latency_.get(); }
  double since_s() const { return since_s_; }

  double utilization(double now_s) const;      // busy area / capacity area
  double mean_waiting(double now_s) const;     // time-averaged waiting line length
  double mean_in_system(double now_s) const;   // waiting + busy, time-averaged

private:
  StationCounts counts_;
  StationCounts lifetime_;
  Histogram latency_;
  std::unique_ptr<Histogram> interval_latency_;
  double since_s_ = 0;
};

}  // namespace archlab
