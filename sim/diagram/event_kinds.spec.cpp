#include "sim/diagram/event_kinds.hpp"

#include <catch2/catch.hpp>

using namespace archlab::diagram;

TEST_CASE("event kinds: lines of the code runner's logs, by their words", "[diagram][events]")
{
  CHECK(event_kind("api#0 killed: 3 requests in progress failed") == EventKind::fault);
  CHECK(event_kind("worker 2 crashed at step 'delete' of job 7; its messages stay in flight") == EventKind::fault);
  CHECK(event_kind("target api#0 marked unhealthy after 2 failed checks") == EventKind::health);
  CHECK(event_kind("api#0 recovered") == EventKind::recovery);
  CHECK(event_kind("message 9 (job 9) moved to dead-letter queue jobs_dlq after 5 receives") == EventKind::dead_letter);
  CHECK(event_kind("scale-out: alarm queue_depth >= 10 for 1 of 1 periods: desired 1 → 2, launching 1") == EventKind::scaling);
  CHECK(event_kind("instance 3 retiring: it finishes what it holds") == EventKind::scaling);
  CHECK(event_kind("long poll ended empty after 20.000 s") == EventKind::poll);
  CHECK(event_kind("message 1 received (job 1), receive count 1, hidden until 30.227") == EventKind::message);
  CHECK(event_kind("message 4 (job 4) visible again, receive count 2, received at 3.1") == EventKind::message);
  CHECK(event_kind("something new happened") == EventKind::other);
  CHECK(is_fault_related(EventKind::health));
  CHECK_FALSE(is_fault_related(EventKind::scaling));
  CHECK(is_routine(EventKind::poll));
  CHECK_FALSE(is_routine(EventKind::fault));
}

TEST_CASE("event kinds: a log line splits into time, source and text; names carry their instance", "[diagram][events]")
{
  auto event = parse_event_line("    60.500  api  api#1 killed: 3 requests in progress failed");
  REQUIRE(event);
  CHECK(event->time_s == 60.5);
  CHECK(event->source == "api");
  CHECK(event->text == "api#1 killed: 3 requests in progress failed");
  CHECK_FALSE(parse_event_line("   "));
  CHECK_FALSE(parse_event_line("soon api killed"));
  auto names = names_in_event("target api#1 marked unhealthy by alb");
  CHECK(names.at("api") == 1);
  CHECK(names.at("alb") == -1);
}
