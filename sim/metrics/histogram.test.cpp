#include "sim/metrics/histogram.hpp"

#include "sim/core/random.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

using archlab::Histogram;

TEST_CASE("histogram: percentiles of 1..1000 are within 0.2% of the exact nearest rank", "[metrics]")
{
  Histogram histogram;
  for (int i = 1; i <= 1000; ++i)
    histogram.record(i * 0.001);
  CHECK(histogram.count() == 1000);
  CHECK(histogram.mean() == Approx(0.5005));
  CHECK(histogram.percentile(0.5) == Approx(0.500).epsilon(0.002));
  CHECK(histogram.percentile(0.99) == Approx(0.990).epsilon(0.002));
  CHECK(histogram.percentile(1.0) == Approx(1.0));
  CHECK(histogram.percentile(0.0) == Approx(0.001).epsilon(0.002));
  CHECK(histogram.max() == 1.0);
}

TEST_CASE("histogram: exponential samples match sorted exact percentiles within 1%", "[metrics]")
{
  archlab::Rng rng(7);
  Histogram histogram;
  std::vector<double> values;
  for (int i = 0; i < 100000; ++i) {
    double v = -std::log(rng.uniform_open01()) * 0.1;
    values.push_back(v);
    histogram.record(v);
  }
  std::sort(values.begin(), values.end());
  for (double fraction : {0.5, 0.9, 0.95, 0.99, 0.999}) {
    double exact = values[static_cast<std::size_t>(std::ceil(fraction * values.size())) - 1];
    CHECK(histogram.percentile(fraction) == Approx(exact).epsilon(0.01));
  }
}

TEST_CASE("histogram: zero and empty", "[metrics]")
{
  Histogram histogram;
  CHECK(histogram.percentile(0.5) == 0.0);
  histogram.record(0.0);
  histogram.record(0.0);
  histogram.record(2.0);
  CHECK(histogram.percentile(0.5) == 0.0);
  CHECK(histogram.percentile(1.0) == Approx(2.0).epsilon(0.002));
}

TEST_CASE("histogram: merge adds counts", "[metrics]")
{
  Histogram a, b;
  a.record(1.0);
  b.record(3.0);
  a.merge(b);
  CHECK(a.count() == 2);
  CHECK(a.max() == 3.0);
  CHECK(a.min() == 1.0);
}

TEST_CASE("histogram: one that has had no value yet merges either way and reads as empty", "[metrics]")
{
  Histogram filled;
  for (int i = 1; i <= 100; ++i)
    filled.record(i * 1e-3);
  Histogram empty;
  CHECK(empty.percentile(0.5) == 0);
  empty.merge(filled);
  CHECK(empty.count() == 100);
  CHECK(empty.percentile(0.5) == Approx(0.050).epsilon(0.002));
  Histogram other;
  filled.merge(other);
  CHECK(filled.count() == 100);
  CHECK(filled.percentile(0.99) == Approx(0.099).epsilon(0.002));
}
