// Random streams: one per component, all derived from the run's seed, so that adding a component or
// changing one's parameters does not shift the numbers every other component draws.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace archlab {

// MT19937-64: the sequence std::mt19937_64 gives (fixed by the standard), with its state made as the
// draws need it. A job's own stream (a function's work_per_job) is seeded per job and drawn from a
// few times; std::mt19937_64 seeds and twists all 312 words before its first number, a tenth of a
// day's run of the surf-clip pipeline. Here word i is twisted when it is drawn, which gives the same
// numbers as twisting all 312 at once, and seeded only when a twist reads it.
class Mt19937_64 {
public:
  explicit Mt19937_64(std::uint64_t seed) { words_[0] = seed; }

  std::uint64_t operator()()
  {
    std::uint32_t i = next_;
    std::uint32_t after = i + 1 == size ? 0 : i + 1;
    std::uint32_t ahead = i < size - shift ? i + shift : i + shift - size;
    if (seeded_ < size)  // the first 156 draws only: word i + 156 is the last of them to be read
      seed_through(i + shift);
    std::uint64_t mixed = (words_[i] & upper_bits) | (words_[after] & ~upper_bits);
    std::uint64_t word = words_[ahead] ^ (mixed >> 1) ^ ((mixed & 1) ? twist_matrix : 0);
    words_[i] = word;
    next_ = after;
    word ^= (word >> 29) & 0x5555555555555555ULL;
    word ^= (word << 17) & 0x71D67FFFEDA60000ULL;
    word ^= (word << 37) & 0xFFF7EEE000000000ULL;
    return word ^ (word >> 43);
  }

private:
  static constexpr std::uint32_t size = 312;
  static constexpr std::uint32_t shift = 156;
  static constexpr std::uint64_t upper_bits = ~0ULL << 31;
  static constexpr std::uint64_t twist_matrix = 0xB5026F5AA96619E9ULL;

  void seed_through(std::uint32_t last)
  {
    for (; seeded_ <= last; ++seeded_) {
      std::uint64_t previous = words_[seeded_ - 1];
      words_[seeded_] = 6364136223846793005ULL * (previous ^ (previous >> 62)) + seeded_;
    }
  }

  std::array<std::uint64_t, size> words_;  // each seeded before it is read (seed_through): no zeroing
  std::uint32_t next_ = 0;    // the word twisted and drawn next
  std::uint32_t seeded_ = 1;  // words below it hold their seeded (or twisted) values
};

class Rng {
public:
  explicit Rng(std::uint64_t seed = 1) : engine_(seed) {}
  static Rng for_stream(std::uint64_t run_seed, std::string_view stream_name);
  // A stream for a few draws (one job's work): SplitMix64, which needs no warm-up, where a Mersenne
  // Twister's first draw seeds 157 words (measured: a third of a second in a surf-clip day, one such
  // stream per invocation).
  struct ShortStream {};
  Rng(ShortStream, std::uint64_t seed) : engine_(seed), is_short_(true), short_state_(seed) {}

  double uniform01() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }  // [0, 1)
  double uniform_open01() { return (static_cast<double>(next() >> 11) + 0.5) * 0x1.0p-53; }  // (0, 1): safe for log
  std::uint64_t next_u64() { return next(); }
  std::size_t below(std::size_t bound) { return static_cast<std::size_t>(uniform01() * static_cast<double>(bound)); }

private:
  std::uint64_t next()
  {
    if (!is_short_)
      return engine_();
    std::uint64_t z = (short_state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }

  Mt19937_64 engine_;
  bool is_short_ = false;
  std::uint64_t short_state_ = 0;
};

std::uint64_t stable_hash(std::string_view text);  // FNV-1a: the same on every platform and run

}  // namespace archlab
