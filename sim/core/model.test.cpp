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
  auto problems = problems_of(model);
  REQUIRE(problems.size() == 2);  // the run section is checked once the components are right
  CHECK(problems[0].path == "components.server.concurency");
  CHECK(problems[0].message == "unknown parameter (did you mean 'concurrency'?)");
  CHECK(problems[1].path == "components.users.target");
}

TEST_CASE("model: --set into a value that is not an object is refused", "[model]")
{
  CHECK_THROWS_AS(model_from_json(mm1(), "m.json", {.sets = {"server.concurrency.x=1"}}), InputError);
  CHECK_THROWS_AS(model_from_json(mm1(), "m.json", {.sets = {"no-equals-sign"}}), InputError);
}
