// When each job of an open-loop run is submitted. Pure and deterministic: the
// same rate, duration, spacing and seed give the same times on every machine
// (own exponential draw over std::mt19937_64, whose output the standard fixes;
// std::exponential_distribution is not fixed across standard libraries).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace archlab::loadgen {

enum class Spacing { poisson, fixed };
std::optional<Spacing> spacing_from_string(const std::string& text);
std::string to_string(Spacing spacing);

// Submission times in seconds from the start of the run, ascending, all in
// [0, duration_s). Fixed spacing: k / rate_per_s. Poisson: exponential gaps
// with mean 1 / rate_per_s, the first one drawn too.
std::vector<double> arrival_times_s(double rate_per_s, double duration_s, Spacing spacing, std::uint64_t seed);

// A uniform double in [0, 1) from 53 random bits.
double unit_interval(std::uint64_t random_bits);

}  // namespace archlab::loadgen
