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
