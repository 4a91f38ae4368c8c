#include "sim/resilience/bulkhead.hpp"

#include <catch2/catch.hpp>

using namespace archlab;

TEST_CASE("bulkhead: max_concurrent start, max_waiting wait, the next one is rejected", "[resilience]")
{
  Bulkhead bulkhead({.max_concurrent = 2, .max_waiting = 1});
  CHECK(bulkhead.admit(1) == BulkheadAdmission::start);
  CHECK(bulkhead.admit(2) == BulkheadAdmission::start);
  CHECK(bulkhead.admit(3) == BulkheadAdmission::wait);
  CHECK(bulkhead.admit(4) == BulkheadAdmission::reject);
  CHECK(bulkhead.running() == 2);
  CHECK(bulkhead.waiting() == 1);
}

TEST_CASE("bulkhead: a released slot goes to the waiters in arrival order", "[resilience]")
{
  Bulkhead bulkhead({.max_concurrent = 1, .max_waiting = 3});
  bulkhead.admit(10);
  bulkhead.admit(11);
  bulkhead.admit(12);
  bulkhead.admit(13);
  CHECK(bulkhead.release() == 11u);
  CHECK(bulkhead.release() == 12u);
  CHECK(bulkhead.running() == 1);  // the slot passed on, never freed in between
  CHECK(bulkhead.release() == 13u);
  CHECK_FALSE(bulkhead.release());
  CHECK(bulkhead.running() == 0);
  CHECK_FALSE(bulkhead.release());  // releasing more than was started frees nothing
  CHECK(bulkhead.admit(14) == BulkheadAdmission::start);
  CHECK(bulkhead.admit(15) == BulkheadAdmission::wait);
}

TEST_CASE("bulkhead: a waiter that gives up leaves the line and frees its place", "[resilience]")
{
  Bulkhead bulkhead({.max_concurrent = 1, .max_waiting = 2});
  bulkhead.admit(1);
  bulkhead.admit(2);
  bulkhead.admit(3);
  CHECK(bulkhead.admit(4) == BulkheadAdmission::reject);
  CHECK(bulkhead.abandon(2));
  CHECK_FALSE(bulkhead.abandon(2));
  CHECK_FALSE(bulkhead.abandon(1));  // running, not waiting
  CHECK(bulkhead.admit(4) == BulkheadAdmission::wait);
  CHECK(bulkhead.release() == 3u);
}

TEST_CASE("bulkhead: max_waiting 0 rejects as soon as every slot is busy", "[resilience]")
{
  Bulkhead bulkhead({.max_concurrent = 1, .max_waiting = 0});
  CHECK(bulkhead.admit(1) == BulkheadAdmission::start);
  CHECK(bulkhead.admit(2) == BulkheadAdmission::reject);
}
