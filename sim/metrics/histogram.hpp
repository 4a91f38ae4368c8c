// A latency histogram with logarithmic buckets (HDR-style): constant memory whatever the number of
// requests, and every percentile within 0.2% of the exact value (256 sub-buckets per power of two).
// The buckets (140 KB) are allocated at the first value: a component nobody calls costs almost nothing.
#pragma once

#include <cstdint>
#include <vector>

namespace archlab {

class Histogram {
public:
  explicit Histogram(int sub_buckets_per_octave = 256);

  void record(double value);  // values <= 0 are kept in a zero bucket
  void clear();
  void merge(const Histogram& other);  // both must have the same resolution

  std::uint64_t count() const { return count_; }
  double mean() const { return count_ ? sum_ / static_cast<double>(count_) : 0.0; }
  double min() const { return count_ ? min_ : 0.0; }
  double max() const { return count_ ? max_ : 0.0; }
  double percentile(double fraction) const;  // fraction in [0, 1]; 0 when empty

private:
  std::size_t index_of(double value) const;
  std::size_t bucket_count() const;
  double representative(std::size_t index) const;  // midpoint of a bucket

  int sub_buckets_;
  std::vector<std::uint64_t> buckets_;  // [0] holds zero and values below the range; empty until a value comes
  std::uint64_t count_ = 0;
  double sum_ = 0;
  double min_ = 0;
  double max_ = 0;
};

}  // namespace archlab
