#include "sim/core/json_io.hpp"
#include "sim/core/problems.hpp"

#include <catch2/catch.hpp>

using namespace archlab;

namespace {
Problem problem_of(const std::string& text)
{
  try {
    parse_json_text(text, "m.json");
  } catch (const InputError& error) {
    REQUIRE(error.problems().size() == 1);
    return error.problems()[0];
  }
  FAIL("no problem reported for " << text);
  return {};
}
}  // namespace

TEST_CASE("json: nesting is bounded, with the place and the limit", "[json]")
{
  std::string ok = std::string(max_nesting_depth, '[') + std::string(max_nesting_depth, ']');
  CHECK(parse_json_text(ok, "m.json").is_array());
  auto problem = problem_of("{\"a\": {\"b\": [" + std::string(max_nesting_depth, '[') + "]}}");
  CHECK(problem.path == "m.json:1:75");
  CHECK(problem.message.rfind("at a.b[0]", 0) == 0);
  CHECK(problem.message.find("deeper than 64 levels") != std::string::npos);
}

TEST_CASE("json: brackets in strings and comments are not nesting", "[json]")
{
  std::string text = "// [[[[\n{\"a\": \"" + std::string(100, '[') + "\\\"{\", /* {{{{ */ \"b\": 1}";
  CHECK(parse_json_text(text, "m.json").at("b") == 1);
}

TEST_CASE("json: a key given twice in one object is refused at its second place", "[json]")
{
  auto problem = problem_of("{\"c\": {\"x\": [1, {\"k\": 1,\n \"k\": 2}]}}");
  CHECK(problem.path == "m.json:2:2");
  CHECK(problem.message.rfind("c.x[1].k is given twice", 0) == 0);
  // the same key in different objects, and an escaped spelling of the same key
  CHECK(parse_json_text("[{\"k\": 1}, {\"k\": 2}]", "m.json").size() == 2);
  CHECK(problem_of("{\"k\": 1, \"\\u006b\": 2}").message.rfind("k is given twice", 0) == 0);
}

TEST_CASE("json: a number beyond a double is refused, not thrown from the library", "[json]")
{
  auto problem = problem_of("{\"run\": {\"seed\": -1e999}}");
  CHECK(problem.path == "m.json:1:18");
  CHECK(problem.message == "at run.seed: the number -1e999 is too large (a double holds at most about 1.8e308)");
  CHECK(parse_json_text("[1e-999, 1e308]", "m.json").size() == 2);
}

TEST_CASE("json: a --set value is JSON when it parses, a word otherwise", "[json]")
{
  CHECK(parse_json_or_word("round_robin", "--set") == "round_robin");
  CHECK(parse_json_or_word("[1, 2]", "--set").size() == 2);
  CHECK(parse_json_or_word("4x", "--set") == "4x");
  CHECK_THROWS_AS(parse_json_or_word("1e999", "--set"), InputError);
}

TEST_CASE("json: names are printed short and without control characters", "[json]")
{
  CHECK(printable_name(std::string("a\0b", 3)) == "a\\u0000b");
  CHECK(printable_name(std::string(100000, 's')) == std::string(80, 's') + "...(100000 bytes)");
}
