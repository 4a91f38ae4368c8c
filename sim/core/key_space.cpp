#include "sim/core/key_space.hpp"

#include <algorithm>
#include <cmath>

namespace archlab {

namespace {
// log1p(x)/x and expm1(x)/x, exact near 0 where the quotients lose their digits.
double log1p_over_x(double x) { return std::abs(x) > 1e-8 ? std::log1p(x) / x : 1 - x * (0.5 - x * (1.0 / 3 - 0.25 * x)); }
double expm1_over_x(double x) { return std::abs(x) > 1e-8 ? std::expm1(x) / x : 1 + x * 0.5 * (1 + x * (1.0 / 3) * (1 + 0.25 * x)); }
}  // namespace

ZipfSampler::ZipfSampler(std::uint64_t n, double alpha) : n_(std::max<std::uint64_t>(n, 1)), alpha_(alpha)
{
  h_integral_x1_ = h_integral(1.5) - 1;
  h_integral_n_ = h_integral(static_cast<double>(n_) + 0.5);
  s_ = 2 - h_integral_inverse(h_integral(2.5) - h(2));
}

double ZipfSampler::h(double x) const { return std::exp(-alpha_ * std::log(x)); }

double ZipfSampler::h_integral(double x) const
{
  double log_x = std::log(x);
  return expm1_over_x((1 - alpha_) * log_x) * log_x;
}

double ZipfSampler::h_integral_inverse(double x) const
{
  double t = x * (1 - alpha_);
  if (t < -1)
    t = -1;  // rounding at the far end of the range
  return std::exp(log1p_over_x(t) * x);
}

std::uint64_t ZipfSampler::sample(Rng& rng) const
{
  for (;;) {
    double u = h_integral_n_ + rng.uniform01() * (h_integral_x1_ - h_integral_n_);
    double x = h_integral_inverse(u);
    double rounded = std::floor(x + 0.5);
    std::uint64_t k = rounded < 1 ? 1 : rounded > static_cast<double>(n_) ? n_ : static_cast<std::uint64_t>(rounded);
    if (static_cast<double>(k) - x <= s_ || u >= h_integral(static_cast<double>(k) + 0.5) - h(static_cast<double>(k)))
      return k;
  }
}

double zipf_share(std::uint64_t k, std::uint64_t n, double alpha)
{
  double harmonic = 0;
  for (std::uint64_t i = n; i >= 1; --i)  // smallest terms first
    harmonic += std::pow(static_cast<double>(i), -alpha);
  return std::pow(static_cast<double>(k), -alpha) / harmonic;
}

KeySpace::KeySpace(Shape shape, std::uint64_t count, double alpha, std::vector<HotKey> hot_keys)
    : shape_(shape), count_(count), hot_keys_(std::move(hot_keys)), zipf_(count, shape == Shape::zipf ? alpha : 1)
{
  for (const auto& hot : hot_keys_)
    hot_share_ += hot.share;
}

KeySpace KeySpace::from_json(const nlohmann::json& keys)
{
  std::vector<HotKey> hot;
  for (const auto& entry : keys.value("hot_keys", nlohmann::json::array()))
    hot.push_back({entry.at("name").get<std::string>(), entry.at("share").get<double>()});
  auto shape = keys.at("dist") == "zipf" ? Shape::zipf : Shape::uniform;
  return KeySpace(shape, keys.at("count").get<std::uint64_t>(), keys.at("alpha").get<double>(), std::move(hot));
}

std::uint64_t KeySpace::draw(Rng& rng) const
{
  if (!hot_keys_.empty()) {
    double u = rng.uniform01();
    if (u < hot_share_) {
      for (std::size_t i = 0; i < hot_keys_.size(); ++i) {
        if (u < hot_keys_[i].share)
          return i + 1;
        u -= hot_keys_[i].share;
      }
      return hot_keys_.size();  // rounding
    }
  }
  if (count_ == 0)
    return hot_keys_.empty() ? 0 : hot_keys_.size();
  std::uint64_t rank = shape_ == Shape::zipf ? zipf_.sample(rng) : 1 + std::min<std::uint64_t>(count_ - 1, rng.below(count_));
  return hot_keys_.size() + rank;
}

std::string KeySpace::key_name(std::uint64_t key) const
{
  if (key >= 1 && key <= hot_keys_.size())
    return hot_keys_[key - 1].name;
  return "key-" + std::to_string(key - hot_keys_.size());
}

ParamSpec key_space_param(std::string meaning)
{
  return object_param("keys",
                      {
                          integer_param("count", 1, "how many keys (besides the hot ones) requests are spread over").at_least(0).at_most(1e9),
                          choice_param("dist", {"uniform", "zipf"}, "uniform",
                                       "uniform: every key alike; zipf: the key of rank k takes a share 1/(k^alpha H)"),
                          number_param("alpha", "", 1, "zipf: the exponent (web objects and cache keys: about 0.6 to 1.0)").above(0).at_most(10),
                          object_list_param("hot_keys",
                                            {text_param("name", "the key's name (in logs and figures)").required(),
                                             number_param("share", "", nullptr, "share of all requests on this key").required().above(0).at_most(1)},
                                            "named keys that take a fixed share of requests before the rest are drawn"),
                      },
                      std::move(meaning))
      .absent_unless_given();
}

void check_key_space(const nlohmann::json& keys, const std::string& path, std::vector<Problem>& problems)
{
  if (!keys.is_object())
    return;
  double hot_share = 0;
  for (const auto& entry : keys.value("hot_keys", nlohmann::json::array()))
    if (entry.is_object() && entry.contains("share") && entry.at("share").is_number())
      hot_share += entry.at("share").get<double>();
  if (hot_share > 1 + 1e-9)
    problems.push_back({path + ".hot_keys", "the hot keys' shares add up to more than 1"});
  if (keys.value("count", 1) == 0 && hot_share < 1 - 1e-9)
    problems.push_back({path + ".count", "is 0, so the hot keys' shares must add up to 1"});
}

}  // namespace archlab
