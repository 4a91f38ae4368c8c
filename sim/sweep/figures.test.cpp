#include "sim/sweep/figures.hpp"

#include <catch2/catch.hpp>

using namespace archlab::sweep;

TEST_CASE("a summary's figures are its numbers by path, bookkeeping left out", "[sweep][figures]")
{
  auto summary = nlohmann::json::parse(R"({
    "seed": 3, "model": "mm1", "measured_from_s": 10, "sim_time_s": 100,
    "clients": {"users": {"sent": 10, "latency_ms": {"mean": 5.5, "p99": 20}, "throughput_per_s": 2}},
    "components": {"server": {"utilization": null, "throughput_per_s": 2.01}},
    "cost_usd": {"total": 0.5, "lines": [{"usd": 0.5}], "prices": {"as_of": "x"}}})");
  auto figures = summary_figures(summary);
  CHECK(figures.at("clients.users.latency_ms.mean") == 5.5);
  CHECK(figures.at("cost_usd.total") == 0.5);
  CHECK(figures.at("sim_time_s") == 100);
  CHECK(figures.count("seed") == 0);
  CHECK(figures.count("measured_from_s") == 0);
  CHECK(figures.count("components.server.utilization") == 0);  // null: not measured in this run
  CHECK(figures.size() == 7);
}

TEST_CASE("samples gather per figure in seed order; main and plotted figures", "[sweep][figures]")
{
  auto a = nlohmann::json::parse(R"({"clients": {"u": {"latency_ms": {"mean": 1, "p99": 9}}}, "components": {"s": {"utilization": 0.5}}})");
  auto b = nlohmann::json::parse(R"({"clients": {"u": {"latency_ms": {"mean": 2, "p99": 8}}}, "components": {"s": {"utilization": null}}})");
  auto samples = collect_samples({a, b});
  CHECK(samples.at("clients.u.latency_ms.mean") == std::vector<double>{1, 2});
  CHECK(samples.at("components.s.utilization") == std::vector<double>{0.5});
  CHECK(main_figures_of(samples) == std::vector<std::string>{"clients.u.latency_ms.mean", "components.s.utilization"});
  CHECK(is_plotted_figure("clients.u.latency_ms.p99"));
  CHECK_FALSE(is_main_figure("clients.u.latency_ms.p99"));
  CHECK_FALSE(is_plotted_figure("components.s.latency_ms.p99"));
  CHECK(is_plotted_figure("cost_usd.total"));
}
