// Which item a request is about: keys drawn from a declared key space — uniform over N keys, Zipf with
// exponent alpha over N keys (a few keys take most requests, as web objects and cache keys do), and
// named hot keys that take a fixed share before the rest is drawn. Pure: the random draw is an
// argument's, so tests hold the draws to the formulas (a key's share is 1/(k^alpha H(N,alpha))).
//
// Keys are numbers: hot keys are 1..H in the order declared, the others H+1..H+N by rank (rank 1 the
// most requested). 0 means "no key".
#pragma once

#include "sim/core/parameters.hpp"
#include "sim/core/random.hpp"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace archlab {

// Zipf over 1..n with exponent alpha > 0, by rejection-inversion (Hörmann and Derflinger 1996): a
// constant expected number of draws per sample whatever n, and no table of n probabilities.
class ZipfSampler {
public:
  ZipfSampler(std::uint64_t n, double alpha);
  std::uint64_t sample(Rng& rng) const;  // 1..n, 1 the most likely
  std::uint64_t n() const { return n_; }
  double alpha() const { return alpha_; }

private:
  double h(double x) const;
  double h_integral(double x) const;
  double h_integral_inverse(double x) const;

  std::uint64_t n_;
  double alpha_;
  double h_integral_x1_;
  double h_integral_n_;
  double s_;
};

// The share of requests on rank k under Zipf(n, alpha): 1 / (k^alpha H(n, alpha)). O(n): for tests and theory.
double zipf_share(std::uint64_t k, std::uint64_t n, double alpha);

struct HotKey {
  std::string name;
  double share = 0;  // of all requests
};

class KeySpace {
public:
  enum class Shape : std::uint8_t { uniform, zipf };
  KeySpace(Shape shape, std::uint64_t count, double alpha, std::vector<HotKey> hot_keys);
  // From a validated `keys` object (key_space_param's fields, defaults filled in).
  static KeySpace from_json(const nlohmann::json& keys);

  std::uint64_t draw(Rng& rng) const;
  std::uint64_t key_count() const { return hot_keys_.size() + count_; }
  std::string key_name(std::uint64_t key) const;  // a hot key's name, else "key-<rank>"

private:
  Shape shape_;
  std::uint64_t count_;
  std::vector<HotKey> hot_keys_;
  double hot_share_ = 0;
  ZipfSampler zipf_;
};

// The model language: `keys: {dist: uniform or zipf, count, alpha, hot_keys: [{name, share}]}`.
ParamSpec key_space_param(std::string meaning);
// Checks across fields: the hot keys' shares add up to at most 1 (exactly 1 when count is 0).
void check_key_space(const nlohmann::json& keys, const std::string& path, std::vector<Problem>& problems);

}  // namespace archlab
