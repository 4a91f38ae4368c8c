#include "sim/sweep/grid.hpp"
#include "sim/sweep/svg_plot.hpp"

#include "sim/core/problems.hpp"

#include <catch2/catch.hpp>

using namespace archlab;
using namespace archlab::sweep;

TEST_CASE("a variation PATH=V1,V2: commas inside brackets and quotes belong to the value", "[sweep][grid]")
{
  auto simple = parse_variation("server.concurrency=1,2,4");
  CHECK(simple.path == "server.concurrency");
  CHECK(simple.values == std::vector<std::string>{"1", "2", "4"});
  auto nested = parse_variation(R"(server.service_time_ms={"dist":"constant","value":5},"a,b",[1,2])");
  CHECK(nested.values == std::vector<std::string>{R"({"dist":"constant","value":5})", R"("a,b")", "[1,2]"});
  CHECK_THROWS_AS(parse_variation("server.concurrency"), InputError);
  CHECK_THROWS_AS(parse_variation("=1,2"), InputError);
  CHECK_THROWS_AS(parse_variation("x=1,,2"), InputError);
  CHECK_THROWS_AS(parse_variation("x=1,2,1"), InputError);
  CHECK_THROWS_AS(parse_variation("x={1,2"), InputError);
}

TEST_CASE("the grid: every combination, the last variation fastest; resume skips the points done", "[sweep][grid]")
{
  std::vector<Variation> variations = {{"a", {"1", "2"}}, {"b", {"x", "y", "z"}}};
  auto points = grid_points(variations);
  REQUIRE(points.size() == 6);
  CHECK(points[0].values == std::vector<std::string>{"1", "x"});
  CHECK(points[1].values == std::vector<std::string>{"1", "y"});
  CHECK(points[3].values == std::vector<std::string>{"2", "x"});
  CHECK(points[5].index == 5);
  CHECK(point_sets(variations, points[4]) == std::vector<std::string>{"a=2", "b=y"});
  auto pending = pending_points(points, {0, 1, 4});
  REQUIRE(pending.size() == 3);
  CHECK(pending[0].index == 2);
  CHECK(pending[1].index == 3);
  CHECK(pending[2].index == 5);
  CHECK(pending_points(points, {0, 1, 2, 3, 4, 5}).empty());
  CHECK_THROWS_AS(grid_points({{"a", {"1"}}, {"a", {"2"}}}), InputError);
  CHECK_THROWS_AS(grid_points({{"a", {"1", "2", "3"}}, {"b", {"1", "2", "3"}}}, 8), InputError);
  CHECK_THROWS_AS(grid_points({}), InputError);
}

TEST_CASE("the sweep CSV: a row per point done, means with half-widths", "[sweep][grid]")
{
  std::vector<Variation> variations = {{"server.mix", {"\"a,b\"", "2"}}};
  auto points = grid_points(variations);
  PointResult second{1, {{{"latency", 10}, {"rate", 1}}, {{"latency", 12}, {"rate", 1}}}};
  auto csv = sweep_csv(variations, points, {second});
  CHECK(csv == "server.mix,replications,latency.mean,latency.ci95,rate.mean,rate.ci95\n"
               "2,2,11,12.70620474,1,0\n");  // t(0.975, 1) · s / √2 with s = √2
  PointResult first{0, {{{"latency", 3}}}};
  auto both = sweep_csv(variations, points, {second, first});
  CHECK(both.find("\"\"\"a,b\"\"\",1,3,0,,\n") != std::string::npos);  // quoted; its missing figure left empty
  CHECK(both.find("\"\"\"a,b\"\"\"") < both.find("\n2,"));               // grid order, not the order given
}

TEST_CASE("a plot: a point and an error bar per value, labels escaped", "[sweep][plot]")
{
  PlotSeries line{"b=<1>", {{"4", 10, 1}, {"1", 20, 2}, {"2", 15, 0}}};
  auto svg = plot_svg("latency & more", "server.concurrency", {line, {"b=2", {{"1", 5, 0.5}}}});
  auto count = [&](const std::string& what) {
    std::size_t n = 0;
    for (auto at = svg.find(what); at != std::string::npos; at = svg.find(what, at + 1))
      ++n;
    return n;
  };
  CHECK(count("<circle") == 4);
  CHECK(count("class=\"interval\"") == 4);
  CHECK(count("class=\"series\"") == 2);
  CHECK(svg.find("latency &amp; more") != std::string::npos);
  CHECK(svg.find("b=&lt;1&gt;") != std::string::npos);
  CHECK(svg.find("<title>1: 20 ± 2</title>") != std::string::npos);
  CHECK(svg.rfind("</svg>\n") == svg.size() - 7);
}
