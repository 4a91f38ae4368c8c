#include "sim/core/model_checks.hpp"

#include "sim/core/model.hpp"
#include "sim/core/registry.hpp"

#include <catch2/catch.hpp>

using namespace archlab;

namespace {
Reference call(std::string from, std::string to, std::string path, Interaction interaction = Interaction::sync_call)
{
  return {std::move(from), std::move(to), std::move(path), "calls[].target", interaction, Operation::request};
}

std::vector<Problem> problems_of(const char* model_text)
{
  try {
    model_from_json(nlohmann::json::parse(model_text), "m.json");
  } catch (const InputError& error) {
    return error.problems();
  }
  return {};
}
}  // namespace

TEST_CASE("model checks: a call cycle is reported once, at its first call, with its path", "[model_checks]")
{
  std::vector<Reference> references = {call("users", "a", "components.users.target", Interaction::request),
                                       call("a", "b", "components.a.calls[0].target"), call("b", "c", "components.b.calls[0].target"),
                                       call("c", "a", "components.c.calls[0].target"), call("c", "d", "components.c.calls[1].target")};
  std::vector<Problem> problems;
  check_call_cycles(references, problems);
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].path == "components.a.calls[0].target");
  CHECK(problems[0].message.rfind("a → b → c → a is a call cycle", 0) == 0);
}

TEST_CASE("model checks: a self-call is a cycle; forwarding (next) and a diamond are not", "[model_checks]")
{
  std::vector<Problem> problems;
  check_call_cycles({call("a", "a", "components.a.calls[0].target")}, problems);
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].message.rfind("a → a is", 0) == 0);

  problems.clear();
  check_call_cycles({call("a", "b", "p1", Interaction::forward), call("b", "a", "p2", Interaction::forward)}, problems);
  check_call_cycles({call("a", "b", "p1"), call("a", "c", "p2"), call("b", "d", "p3"), call("c", "d", "p4")}, problems);
  CHECK(problems.empty());
}

TEST_CASE("model checks: a chain far longer than any stack is walked without recursion", "[model_checks]")
{
  std::vector<Reference> chain;
  for (int i = 0; i < 200000; ++i)
    chain.push_back(call("s" + std::to_string(i), "s" + std::to_string(i + 1), "p" + std::to_string(i)));
  chain.push_back(call("s200000", "s0", "back"));
  std::vector<Problem> problems;
  check_call_cycles(chain, problems);
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].path == "p0");
}

TEST_CASE("model checks: references are found at their JSON path, with the operation they ask for", "[model_checks]")
{
  const auto* service = find_component_type("service");
  REQUIRE(service);
  auto params = nlohmann::json::parse(R"({"type": "service", "calls": [{"target": "t", "operation": "get"}],
                                          "handlers": {"write": {"calls": [{"target": "q", "operation": "send"}]}},
                                          "next": [{"target": "b", "probability": 0.5}]})");
  std::vector<ParamSpec> specs = service->params;
  auto found = references_of("a", params, specs);
  REQUIRE(found.size() == 3);
  CHECK(found[0].path == "components.a.calls[0].target");
  CHECK(found[0].field == "calls[].target");
  CHECK(found[0].operation == Operation::get);
  CHECK(found[1].path == "components.a.next[0].target");
  CHECK(found[1].interaction == Interaction::forward);
  CHECK(found[1].operation == Operation::request);
  CHECK(found[2].path == "components.a.handlers.write.calls[0].target");
  CHECK(found[2].field == "handlers.*.calls[].target");
  CHECK(found[2].operation == Operation::send);
}

TEST_CASE("model checks: each reference is checked against what its target's type declares", "[model_checks]")
{
  auto problems = problems_of(R"({"components": {
      "users": {"type": "client", "target": "q", "arrivals": {"rate_per_s": 8}},
      "q": {"type": "queue", "dead_letter_queue": "users", "max_receive_count": 2},
      "w": {"type": "consumers", "queue": "q", "steps": [{"name": "read", "target": "q", "operation": "get"}]}},
    "run": {"requests": 10}})");
  REQUIRE(problems.size() == 3);
  CHECK(problems[0].path == "components.q.dead_letter_queue");
  CHECK(problems[0].message == "'users' is a client; it must name a queue");
  CHECK(problems[1].path == "components.users.target");
  CHECK(problems[1].message == "'q' is a queue, which does not take 'request' (a queue takes: send, receive, delete_message)");
  CHECK(problems[2].path == "components.w.steps[0].target");
  CHECK(problems[2].message.find("does not take 'get'") != std::string::npos);
}

TEST_CASE("model checks: every type declares what it takes; clients and consumers take nothing", "[model_checks]")
{
  CHECK(accepts(*find_component_type("service"), Operation::request));
  CHECK_FALSE(accepts(*find_component_type("service"), Operation::get));
  CHECK(accepts(*find_component_type("table"), Operation::scan));
  CHECK(accepts(*find_component_type("queue"), Operation::delete_message));
  CHECK(operation_list(*find_component_type("client")) == "none");
  CHECK(operation_list(*find_component_type("consumers")) == "none");
}

TEST_CASE("model checks: sizes past the limits are refused, naming the limit", "[model_checks]")
{
  auto document = nlohmann::json::parse(R"({"components": {}, "run": {"duration_s": 2e7, "timeseries_interval_s": 10}})");
  std::vector<Problem> problems;
  check_model_sizes(document, problems);
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].message.find("at most 10,000,000 s") != std::string::npos);

  problems.clear();
  document["run"] = {{"duration_s", 3600}, {"timeseries_interval_s", 0.001}};
  check_model_sizes(document, problems);
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].message.find("3,600,000 rows") != std::string::npos);

  problems.clear();
  document["run"] = {{"requests", 10000000}, {"timeseries_interval_s", 10}};  // what bench/run.sh sends
  for (int i = 0; i < 1000; ++i)
    document["components"]["s" + std::to_string(i)] = {{"type", "service"}};
  check_model_sizes(document, problems);
  CHECK(problems.empty());
  document["components"]["one_too_many"] = {{"type", "service"}};
  check_model_sizes(document, problems);
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].message == "has 1,001 components; a model may have at most 1,000");
}
