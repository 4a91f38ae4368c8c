#include "sim/components/stream/stream_theory.hpp"

#include <cmath>

namespace archlab {

// P(Pois(x) ≥ m) for m = 1, 2, ...: one minus the running CDF, the pmf kept in logs so that a
// large λT (thousands of records per interval) does not underflow e^(−λT).
BufferTheory size_or_time_buffer(double rate_per_s, long records_to_fill, double interval_s)
{
  BufferTheory theory;
  if (rate_per_s <= 0)
    return theory;
  theory.flushes_per_s = rate_per_s;  // a zero interval flushes every record alone
  double x = rate_per_s * interval_s;
  if (x <= 0)
    return theory;
  double wait_s = 0, extra_records = 0;
  double cdf = 0;  // P(Pois(x) ≤ m − 1)
  for (long m = 1; m <= records_to_fill - 1; ++m) {
    double log_pmf = -x + static_cast<double>(m - 1) * std::log(x) - std::lgamma(static_cast<double>(m));  // P(Pois(x) = m − 1)
    if (static_cast<double>(m) > x + 1 && log_pmf < -45)
      break;  // past the mode the tail is below e^−45: what is left of 1 − cdf is rounding, not probability
    cdf += std::exp(log_pmf);
    double at_least_m = std::max(0.0, 1 - cdf);
    wait_s += static_cast<double>(m) / rate_per_s * at_least_m;  // the k = m − 1 term
    extra_records += at_least_m;
  }
  theory.records_per_flush = 1 + extra_records;
  theory.mean_delay_s = wait_s / theory.records_per_flush;
  theory.flushes_per_s = rate_per_s / theory.records_per_flush;
  return theory;
}

}  // namespace archlab
