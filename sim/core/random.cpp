#include "sim/core/random.hpp"

namespace archlab {

std::uint64_t stable_hash(std::string_view text)
{
  std::uint64_t hash = 1469598103934665603ULL;
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 1099511628211ULL;
  }
  return hash;
}

Rng Rng::for_stream(std::uint64_t run_seed, std::string_view stream_name)
{
  // splitmix64 of (seed, name) so that nearby seeds give unrelated streams
  std::uint64_t z = run_seed * 0x9E3779B97F4A7C15ULL ^ stable_hash(stream_name);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return Rng(z ^ (z >> 31));
}

}  // namespace archlab
