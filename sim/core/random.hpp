// Random streams: one per component, all derived from the run's seed, so that adding a component or
// changing one's parameters does not shift the numbers every other component draws.
#pragma once

#include <cstdint>
#include <random>
#include <string_view>

namespace archlab {

class Rng {
public:
  explicit Rng(std::uint64_t seed = 1) : engine_(seed) {}
  static Rng for_stream(std::uint64_t run_seed, std::string_view stream_name);

  double uniform01() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }  // [0, 1)
  double uniform_open01() { return (static_cast<double>(engine_() >> 11) + 0.5) * 0x1.0p-53; }  // (0, 1): safe for log
  std::uint64_t next_u64() { return engine_(); }
  std::size_t below(std::size_t bound) { return static_cast<std::size_t>(uniform01() * static_cast<double>(bound)); }

private:
  std::mt19937_64 engine_;  // its output sequence is fixed by the standard, unlike std:: distributions
};

std::uint64_t stable_hash(std::string_view text);  // FNV-1a: the same on every platform and run

}  // namespace archlab
