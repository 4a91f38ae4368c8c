#include "sim/core/model_checks.hpp"

#include "sim/core/model.hpp"
#include "sim/core/registry.hpp"

#include <catch2/catch.hpp>
#include <map>

using namespace archlab;

namespace {
Reference call(std::string from, std::string to, std::string path, Interaction interaction = Interaction::sync_call)
{
  return {std::move(from), std::move(to), std::move(path), "calls[].target", interaction, request_operation};
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
  CHECK(found[0].operation == Operation::named("get"));
  CHECK(found[1].path == "components.a.next[0].target");
  CHECK(found[1].interaction == Interaction::forward);
  CHECK(found[1].operation == request_operation);
  CHECK(found[2].path == "components.a.handlers.write.calls[0].target");
  CHECK(found[2].field == "handlers.*.calls[].target");
  CHECK(found[2].operation == Operation::named("send"));
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
  CHECK(accepts(*find_component_type("service"), request_operation));
  CHECK_FALSE(accepts(*find_component_type("service"), Operation::named("get")));
  CHECK(accepts(*find_component_type("table"), Operation::named("scan")));
  CHECK(accepts(*find_component_type("queue"), Operation::named("delete_message")));
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

TEST_CASE("model checks: an operation's arguments are checked against what the target's type declares for it", "[model_checks]")
{
  // SQS ReceiveMessage takes MaxNumberOfMessages 1..10 (AWS); a service's request takes no arguments.
  auto problems = problems_of(R"({"name": "m", "components": {
      "users": {"type": "client", "target": "api", "arrivals": {"process": "poisson", "rate_per_s": 1}},
      "api": {"type": "service", "calls": [
          {"target": "jobs", "operation": "receive", "max_messages": 11, "wait_time_s": 5},
          {"target": "db", "operation": "put", "conditional": "yes"},
          {"target": "other", "max_messages": 2},
          {"target": "db", "operation": "get", "timout_ms": 100}]},
      "other": {"type": "service"},
      "jobs": {"type": "queue"},
      "db": {"type": "table"}}, "run": {"duration_s": 10}})");
  std::map<std::string, std::string> by_path;
  for (const auto& problem : problems)
    by_path[problem.path] = problem.message;
  REQUIRE(by_path.count("components.api.calls[0].max_messages"));
  CHECK(by_path["components.api.calls[0].max_messages"].find("10") != std::string::npos);
  CHECK_FALSE(by_path.count("components.api.calls[0].wait_time_s"));
  CHECK(by_path.count("components.api.calls[1].conditional"));
  REQUIRE(by_path.count("components.api.calls[2].max_messages"));
  CHECK(by_path["components.api.calls[2].max_messages"].find("'request' on a service takes no arguments") != std::string::npos);
  REQUIRE(by_path.count("components.api.calls[3].timout_ms"));
  CHECK(by_path["components.api.calls[3].timout_ms"].find("did you mean 'timeout_ms'") != std::string::npos);
  CHECK(problems.size() == 4);
}

TEST_CASE("model checks: an operation no type declares is refused at the call, with what its target takes", "[model_checks]")
{
  auto problems = problems_of(R"({"name": "m", "components": {
      "users": {"type": "client", "target": "api", "arrivals": {"process": "poisson", "rate_per_s": 1}},
      "api": {"type": "service", "calls": [{"target": "db", "operation": "gett"}]},
      "db": {"type": "table"}}, "run": {"duration_s": 10}})");
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].path == "components.api.calls[0].target");
  CHECK(problems[0].message.find("does not take 'gett' (a table takes: get, put, update, query, scan)") != std::string::npos);
}
