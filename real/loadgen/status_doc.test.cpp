#include <catch2/catch.hpp>

#include "status_doc.hpp"

using namespace archlab::loadgen;

TEST_CASE("status: submit answers give the execution id", "[loadgen]")
{
  CHECK(parse_submit_answer(R"({"executionId":"abc-1","message":"Code submitted successfully"})") == "abc-1");
  CHECK_FALSE(parse_submit_answer(R"({"executionId":""})"));
  CHECK_FALSE(parse_submit_answer(R"({"executionId":12})"));
  CHECK_FALSE(parse_submit_answer(R"({"id":"x"})"));
  CHECK_FALSE(parse_submit_answer("not json"));
  CHECK_FALSE(parse_submit_answer(R"(["executionId"])"));
}

TEST_CASE("status: full documents carry status, result and times", "[loadgen]")
{
  auto document = parse_status_document(
      R"({"status":"Executed","result":"2","submitted_at_ms":1000,"started_at_ms":1500,"finished_at_ms":1750.4})");
  REQUIRE(document);
  CHECK(document->status == Status::executed);
  CHECK(document->result == "2");
  CHECK(document->submitted_at_ms == 1000);
  CHECK(document->started_at_ms == 1500);
  CHECK(document->finished_at_ms == 1750);
  CHECK(is_final(document->status));
}

TEST_CASE("status: the seed's documents have no times; pending and null times", "[loadgen]")
{
  auto seed = parse_status_document(R"({"status":"pending","result":""})");
  REQUIRE(seed);
  CHECK(seed->status == Status::pending);
  CHECK_FALSE(is_final(seed->status));
  CHECK_FALSE(seed->submitted_at_ms);
  auto nulls = parse_status_document(R"({"status":"failed","result":"timeout","started_at_ms":null})");
  REQUIRE(nulls);
  CHECK(nulls->status == Status::failed);
  CHECK_FALSE(nulls->started_at_ms);
  auto number_result = parse_status_document(R"({"status":"Executed","result":2})");
  REQUIRE(number_result);
  CHECK(number_result->result == "2");
}

TEST_CASE("status: unknown statuses and bodies are rejected", "[loadgen]")
{
  CHECK_FALSE(parse_status_document(R"({"status":"executed"})"));  // the wire string is "Executed"
  CHECK_FALSE(parse_status_document(R"({"status":"done"})"));
  CHECK_FALSE(parse_status_document(R"({"result":"2"})"));
  CHECK_FALSE(parse_status_document(R"({"error":"Execution ID not found"})"));
  CHECK_FALSE(parse_status_document("<html>502</html>"));
  CHECK_FALSE(parse_status_document(""));
}

TEST_CASE("status: the status path percent-encodes all but unreserved bytes", "[loadgen]")
{
  CHECK(status_path("3f2a-b_c.d~e") == "/check-status/3f2a-b_c.d~e");
  CHECK(status_path("a/b?c d") == "/check-status/a%2Fb%3Fc%20d");
  CHECK(status_path("\xC3\xA9") == "/check-status/%C3%A9");
}
