#include "sim/resilience/backoff.hpp"

#include <algorithm>
#include <cmath>
#include <iterator>

namespace archlab {

namespace {
constexpr const char* jitter_names_in_order[] = {"none", "full", "equal", "decorrelated"};

double between(double low, double high, double uniform01) { return low + (high - low) * uniform01; }
}  // namespace

const char* jitter_name(Jitter jitter) { return jitter_names_in_order[static_cast<int>(jitter)]; }

std::optional<Jitter> jitter_from_name(const std::string& name)
{
  for (int i = 0; i < static_cast<int>(std::size(jitter_names_in_order)); ++i)
    if (name == jitter_names_in_order[i])
      return static_cast<Jitter>(i);
  return std::nullopt;
}

std::vector<std::string> jitter_names() { return {std::begin(jitter_names_in_order), std::end(jitter_names_in_order)}; }

double exponential_ceiling_ms(const BackoffSettings& settings, int retry_index)
{
  // ldexp saturates to infinity rather than overflowing an integer shift; min() then gives the cap.
  return std::min(settings.cap_ms, std::ldexp(settings.base_ms, std::max(retry_index, 0)));
}

double backoff_delay_ms(const BackoffSettings& settings, int retry_index, double previous_delay_ms, double uniform01)
{
  switch (settings.jitter) {
    case Jitter::none: return exponential_ceiling_ms(settings, retry_index);
    case Jitter::full: return between(0, exponential_ceiling_ms(settings, retry_index), uniform01);
    case Jitter::equal: {
      double half = exponential_ceiling_ms(settings, retry_index) / 2;
      return half + between(0, half, uniform01);
    }
    case Jitter::decorrelated: {
      double previous = retry_index <= 0 ? settings.base_ms : previous_delay_ms;
      return std::min(settings.cap_ms, between(settings.base_ms, previous * 3, uniform01));
    }
  }
  return 0;
}

}  // namespace archlab
