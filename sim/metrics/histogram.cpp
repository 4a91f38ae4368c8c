#include "sim/metrics/histogram.hpp"

#include <algorithm>
#include <cmath>

namespace archlab {

namespace {
// Range 2^-30 (about 1 ns) to 2^40 (about 35 000 years): every time a model can produce, in seconds.
constexpr int MIN_EXPONENT = -30;
constexpr int MAX_EXPONENT = 40;
}  // namespace

Histogram::Histogram(int sub_buckets_per_octave) : sub_buckets_(sub_buckets_per_octave) {}

std::size_t Histogram::bucket_count() const
{
  return 1 + static_cast<std::size_t>(MAX_EXPONENT - MIN_EXPONENT) * static_cast<std::size_t>(sub_buckets_);
}

std::size_t Histogram::index_of(double value) const
{
  if (!(value > 0))
    return 0;
  int exponent = 0;
  double mantissa = std::frexp(value, &exponent);  // value = mantissa * 2^exponent, mantissa in [0.5, 1)
  if (exponent <= MIN_EXPONENT)
    return 0;
  if (exponent > MAX_EXPONENT)
    return bucket_count() - 1;
  auto sub = static_cast<int>((mantissa - 0.5) * 2.0 * sub_buckets_);
  return 1 + static_cast<std::size_t>(exponent - MIN_EXPONENT - 1) * sub_buckets_ + static_cast<std::size_t>(sub);
}

double Histogram::representative(std::size_t index) const
{
  if (index == 0)
    return 0.0;
  auto offset = index - 1;
  int exponent = static_cast<int>(offset / sub_buckets_) + MIN_EXPONENT + 1;
  double sub = static_cast<double>(offset % sub_buckets_);
  double low = std::ldexp(0.5 + sub / (2.0 * sub_buckets_), exponent);
  double high = std::ldexp(0.5 + (sub + 1) / (2.0 * sub_buckets_), exponent);
  return 0.5 * (low + high);
}

void Histogram::record(double value)
{
  if (buckets_.empty())
    buckets_.assign(bucket_count(), 0);
  ++buckets_[index_of(value)];
  if (count_ == 0 || value < min_)
    min_ = value;
  if (count_ == 0 || value > max_)
    max_ = value;
  ++count_;
  sum_ += value;
}

void Histogram::clear()
{
  std::fill(buckets_.begin(), buckets_.end(), 0);
  count_ = 0;
  sum_ = min_ = max_ = 0;
}

void Histogram::merge(const Histogram& other)
{
  if (!other.buckets_.empty() && buckets_.empty())
    buckets_.assign(bucket_count(), 0);
  for (std::size_t i = 0; i < other.buckets_.size(); ++i)
    buckets_[i] += other.buckets_[i];
  if (other.count_) {
    min_ = count_ ? std::min(min_, other.min_) : other.min_;
    max_ = count_ ? std::max(max_, other.max_) : other.max_;
  }
  count_ += other.count_;
  sum_ += other.sum_;
}

double Histogram::percentile(double fraction) const
{
  if (count_ == 0)
    return 0.0;
  // nearest-rank definition: the smallest value with at least fraction * count values at or below it
  auto rank = static_cast<std::uint64_t>(std::ceil(std::clamp(fraction, 0.0, 1.0) * static_cast<double>(count_)));
  rank = std::max<std::uint64_t>(rank, 1);
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < buckets_.size(); ++i) {
    seen += buckets_[i];
    if (seen >= rank)
      return std::clamp(i == 0 ? min_ : representative(i), min_, max_);
  }
  return max_;
}

}  // namespace archlab
