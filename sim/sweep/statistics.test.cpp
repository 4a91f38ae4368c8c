#include "sim/sweep/statistics.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <stdexcept>

using namespace archlab::sweep;

TEST_CASE("Student t quantiles match the printed table", "[sweep][statistics]")
{
  // t_{0.975, df} and t_{0.95, df} as any statistics textbook tabulates them (3 decimals)
  struct Row { double df, t975, t95; };
  for (auto row : {Row{1, 12.706, 6.314}, Row{2, 4.303, 2.920}, Row{3, 3.182, 2.353}, Row{5, 2.571, 2.015},
                   Row{10, 2.228, 1.812}, Row{20, 2.086, 1.725}, Row{30, 2.042, 1.697}, Row{120, 1.980, 1.658}}) {
    CHECK(student_t_quantile(0.975, row.df) == Approx(row.t975).margin(0.0005));
    CHECK(student_t_quantile(0.95, row.df) == Approx(row.t95).margin(0.0005));
  }
  CHECK(student_t_quantile(0.975, 1e7) == Approx(1.95996).margin(1e-4));  // towards the normal's
  CHECK(student_t_quantile(0.025, 4) == Approx(-2.776).margin(0.0005));   // symmetric
  CHECK_THROWS_AS(student_t_quantile(1.0, 3), std::invalid_argument);
  CHECK_THROWS_AS(student_t_quantile(0.5, 0.5), std::invalid_argument);
}

TEST_CASE("a confidence interval is t times the standard error", "[sweep][statistics]")
{
  // 4 samples: mean 5, s = sqrt(20/3); t_{0.975,3} = 3.1824
  auto interval = confidence_interval({2, 4, 6, 8});
  CHECK(interval.count == 4);
  CHECK(interval.mean == Approx(5));
  CHECK(interval.half_width == Approx(3.18245 * std::sqrt(20.0 / 3) / 2).epsilon(1e-4));
  CHECK(interval.relative_half_width() == Approx(interval.half_width / 5));
  auto single = confidence_interval({7});
  CHECK(single.mean == 7);
  CHECK(single.half_width == 0);
  CHECK(confidence_interval({3, 3, 3}).relative_half_width() == 0);  // a figure that never moves is tight
  CHECK(std::isinf(confidence_interval({-1, 1}).relative_half_width()));  // a mean of 0 with spread never is
  CHECK(confidence_interval({1, 2, 3}, 0.99).half_width > confidence_interval({1, 2, 3}, 0.95).half_width);
}

TEST_CASE("the precision rule stops at the first tight prefix, within its bounds", "[sweep][statistics]")
{
  PrecisionRule rule{0.02, 3, 10};
  // noisy at first, then the same value again and again: the interval narrows as n grows
  std::vector<double> settling = {98, 102, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100};
  FigureSamples samples{{"latency", settling}, {"ignored", {1, 50, 1000, 3, 4, 5, 6, 7, 8, 9, 10, 11}}};
  auto needed = replications_needed(samples, {"latency"}, rule);
  REQUIRE(needed > 3);
  REQUIRE(needed < 10);
  // the rule's own statement: tight at `needed`, not tight one before
  std::vector<double> at(settling.begin(), settling.begin() + static_cast<long>(needed));
  std::vector<double> before(settling.begin(), settling.begin() + static_cast<long>(needed) - 1);
  CHECK(confidence_interval(at).relative_half_width() <= 0.02);
  CHECK(confidence_interval(before).relative_half_width() > 0.02);

  SECTION("not enough samples yet: 0, run more")
  {
    FigureSamples few{{"latency", {98, 102, 100}}};
    CHECK(replications_needed(few, {"latency"}, rule) == 0);
  }
  SECTION("a figure that never settles stops at the bound")
  {
    FigureSamples wild{{"latency", {1, 100, 1, 100, 1, 100, 1, 100, 1, 100, 1}}};
    CHECK(replications_needed(wild, {"latency"}, rule) == 10);
  }
  SECTION("every watched figure must be tight")
  {
    FigureSamples two{{"latency", settling}, {"throughput", {1, 100, 1, 100, 1, 100, 1, 100, 1, 100}}};
    CHECK(replications_needed(two, {"latency", "throughput"}, rule) == 10);
  }
  SECTION("identical replications stop at the minimum")
  {
    FigureSamples same{{"latency", {5, 5, 5, 5}}};
    CHECK(replications_needed(same, {"latency"}, rule) == 3);
  }
}
