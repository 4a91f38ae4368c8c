#include "sim/core/model.hpp"
#include "sim/core/problems.hpp"

#include <catch2/catch.hpp>

using namespace archlab;

namespace {
nlohmann::json mm1()
{
  return nlohmann::json::parse(R"({
    "components": {
      "users": {"type": "client", "target": "server", "arrivals": {"rate_per_s": 8}},
      "server": {"type": "service"}
    },
    "run": {"requests": 100},
    "scenarios": {"busy": {"set": {"users.arrivals.rate_per_s": 9.5}, "faults": [{"at_s": 3, "target": "server"}]}}
  })");
}

std::vector<Problem> problems_of(nlohmann::json model, LoadOptions options = {})
{
  try {
    model_from_json(std::move(model), "m.json", options);
  } catch (const InputError& error) {
    return error.problems();
  }
  return {};
}
}  // namespace

TEST_CASE("model: defaults are filled in from the registry", "[model]")
{
  auto model = model_from_json(mm1(), "m.json");
  const auto& server = model.components().at("server");
  CHECK(server.at("instances") == 1);
  CHECK(server.at("concurrency") == 1);
  CHECK(server.at("service_time_ms").at("dist") == "exponential");
  CHECK(model.components().at("users").at("arrivals").at("process") == "poisson");
  CHECK(model.run.seed == 1);
  CHECK(model.run.requests == 100);
}

TEST_CASE("model: a scenario applies its overrides and adds its faults", "[model]")
{
  auto model = model_from_json(mm1(), "m.json", {.scenario = "busy"});
  CHECK(model.components().at("users").at("arrivals").at("rate_per_s") == 9.5);
  REQUIRE(model.faults().size() == 1);
  CHECK(model.faults()[0].at("action") == "kill");
}

TEST_CASE("model: --set reads JSON values, bare words as strings, and --seed wins", "[model]")
{
  auto model = model_from_json(mm1(), "m.json", {.sets = {"server.concurrency=4", "components.server.label=web tier"}, .seed = 9});
  CHECK(model.components().at("server").at("concurrency") == 4);
  CHECK(model.components().at("server").at("label") == "web tier");
  CHECK(model.run.seed == 9);
}

TEST_CASE("model: every problem is reported, each with its path", "[model]")
{
  auto model = mm1();
  model["components"]["server"]["concurency"] = 2;
  model["components"]["users"]["target"] = "nobody";
  model["run"]["duration_s"] = 10;
  model["faults"] = {{{"at_s", 1}, {"target", "server"}, {"instance", 3}}};
  auto problems = problems_of(model);
  // One pass, sorted by path: the run and fault checks do not wait for the components to be right.
  REQUIRE(problems.size() == 4);
  CHECK(problems[0].path == "components.server.concurency");
  CHECK(problems[0].message == "unknown parameter (did you mean 'concurrency'?)");
  CHECK(problems[1].path == "components.users.target");
  CHECK(problems[2].path == "faults[0].instance");
  CHECK(problems[3].path == "run");
}

TEST_CASE("model: an integer is range-checked before it is converted", "[model]")
{
  for (nlohmann::json too_large : {nlohmann::json(4294967297ULL), nlohmann::json(1e300), nlohmann::json(18446744073709551615ULL)}) {
    auto model = mm1();
    model["components"]["server"]["instances"] = too_large;
    auto problems = problems_of(model);
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].path == "components.server.instances");
    CHECK(problems[0].message == "must be <= 10000 (the most this parameter takes)");  // instances: the documented limit
  }
  auto model = mm1();
  model["components"]["server"]["instances"] = 3.0;  // whole, written as a double
  CHECK(model_from_json(model, "m.json").components().at("server").at("instances") == 3);
}

TEST_CASE("model: scenarios extending scenarios are bounded", "[model]")
{
  auto model = mm1();
  model["scenarios"] = {{"s0", nlohmann::json::object()}};
  for (int i = 1; i <= 20; ++i)
    model["scenarios"]["s" + std::to_string(i)] = {{"extends", {"s" + std::to_string(i - 1)}}};
  CHECK(problems_of(model, {.scenario = "s15"}).empty());  // 16 deep: the limit
  auto problems = problems_of(model, {.scenario = "s16"});
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].message.rfind("extends scenarios more than 16 deep: s16 → s15", 0) == 0);
}

TEST_CASE("model: a --set path or value nesting too deep is refused", "[model]")
{
  std::string path = "run";
  for (int i = 0; i < 100; ++i)
    path += ".a";
  CHECK_THROWS_AS(model_from_json(mm1(), "m.json", {.sets = {path + "=1"}}), InputError);
  CHECK_THROWS_AS(model_from_json(mm1(), "m.json", {.sets = {"run.seed=" + std::string(100, '[') + std::string(100, ']')}}), InputError);
  CHECK(problems_of(mm1(), {.sets = {"server.concurrency=4"}}).empty());
}

TEST_CASE("model: --set into a value that is not an object is refused", "[model]")
{
  CHECK_THROWS_AS(model_from_json(mm1(), "m.json", {.sets = {"server.concurrency.x=1"}}), InputError);
  CHECK_THROWS_AS(model_from_json(mm1(), "m.json", {.sets = {"no-equals-sign"}}), InputError);
}
