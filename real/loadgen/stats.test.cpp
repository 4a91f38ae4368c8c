#include <catch2/catch.hpp>

#include "stats.hpp"

using namespace archlab::loadgen;

TEST_CASE("stats: nearest-rank percentiles", "[loadgen]")
{
  std::vector<double> values;
  for (int i = 100; i >= 1; --i)  // unsorted on purpose
    values.push_back(i);
  CHECK(percentile(values, 0.5) == 50);
  CHECK(percentile(values, 0.99) == 99);
  CHECK(percentile(values, 1.0) == 100);
  CHECK(percentile(values, 0.0) == 1);
  CHECK(percentile(values, 0.001) == 1);
  CHECK(percentile({3, 1, 2}, 0.5) == 2);
  CHECK(percentile({7}, 0.99) == 7);
  CHECK(percentile({}, 0.5) == 0);
  CHECK(percentile({1, 2}, 2.0) == 2);  // clamped
}

TEST_CASE("stats: percentiles of whole milliseconds are interpolated within the millisecond", "[loadgen]")
{
  CHECK(grouped_percentile({0.005, 0.005, 0.005, 0.005}, 0.5, 0.001) == Approx(0.005));
  // Half the jobs took 5 ms, half 6 ms: the median lies at the border, 5.5 ms.
  CHECK(grouped_percentile({0.005, 0.006, 0.005, 0.006}, 0.5, 0.001) == Approx(0.0055));
  // Three in four took 5 ms: the median is two thirds into the 5 ms group.
  CHECK(grouped_percentile({0.005, 0.005, 0.005, 0.006}, 0.5, 0.001) == Approx(0.0045 + 0.001 * 2.0 / 3.0));
  CHECK(grouped_percentile({0.0, 0.0}, 0.5, 0.001) == 0);  // never below 0
  std::vector<double> ms;
  for (int i = 1; i <= 100; ++i)
    ms.push_back(i * 0.001);
  CHECK(grouped_percentile(ms, 0.99, 0.001) == Approx(0.0995));
  auto json = grouped_figures({0.005, 0.006}, 0.001);
  CHECK(json["mean"].get<double>() == Approx(0.0055));
  CHECK(json["max"].get<double>() == Approx(0.006));
  CHECK(json["p50"].get<double>() == Approx(0.0055));
}

TEST_CASE("stats: figures hold mean, p50, p99 and max, or nulls when empty", "[loadgen]")
{
  auto json = figures({1, 2, 3, 10});
  CHECK(json["mean"].get<double>() == 4);
  CHECK(json["p50"].get<double>() == 2);
  CHECK(json["p99"].get<double>() == 10);
  CHECK(json["max"].get<double>() == 10);
  auto empty = figures({});
  for (const char* key : {"mean", "p50", "p99", "max"})
    CHECK(empty[key].is_null());
}
