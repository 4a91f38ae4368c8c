#include "schedule.hpp"

#include <cmath>
#include <random>

namespace archlab::loadgen {

std::optional<Spacing> spacing_from_string(const std::string& text)
{
  if (text == "poisson")
    return Spacing::poisson;
  if (text == "fixed")
    return Spacing::fixed;
  return std::nullopt;
}

std::string to_string(Spacing spacing)
{
  return spacing == Spacing::poisson ? "poisson" : "fixed";
}

double unit_interval(std::uint64_t random_bits)
{
  return static_cast<double>(random_bits >> 11) * 0x1.0p-53;
}

std::vector<double> arrival_times_s(double rate_per_s, double duration_s, Spacing spacing, std::uint64_t seed)
{
  std::vector<double> times_s;
  if (!(rate_per_s > 0) || !(duration_s > 0))
    return times_s;
  if (spacing == Spacing::fixed) {
    // Multiply rather than accumulate so rounding does not drift over long runs.
    for (std::uint64_t k = 0;; ++k) {
      double t_s = static_cast<double>(k) / rate_per_s;
      if (t_s >= duration_s)
        break;
      times_s.push_back(t_s);
    }
    return times_s;
  }
  std::mt19937_64 random(seed);
  double t_s = 0;
  for (;;) {
    // 1 - u is in (0, 1], so the log is finite.
    t_s += -std::log(1.0 - unit_interval(random())) / rate_per_s;
    if (t_s >= duration_s)
      break;
    times_s.push_back(t_s);
  }
  return times_s;
}

}  // namespace archlab::loadgen
