// The request pool: slots come back, and a reference kept too long finds nothing.
#include "sim/core/request_pool.hpp"

#include <catch2/catch.hpp>

using namespace archlab;

TEST_CASE("request pool: a released slot is reused, and the old reference to it finds nothing", "[request_pool]")
{
  RequestPool pool;
  auto [first, request] = pool.take();
  request->key = 42;
  CHECK(pool.get(first) == request);
  pool.release(first);
  CHECK(pool.get(first) == nullptr);
  auto [second, reused] = pool.take();
  CHECK(second.index == first.index);        // the same slot
  CHECK_FALSE(second == first);              // under a new generation
  CHECK(reused->key == 0);                   // reset
  CHECK(pool.get(first) == nullptr);         // the stale reference does not reach the new request
  CHECK(pool.get(second) == reused);
  pool.release(first);                       // a stale release leaves the new request alone
  CHECK(pool.get(second) == reused);
  CHECK(pool.get(RequestRef{}) == nullptr);
}

TEST_CASE("request pool: it grows only to the most requests in flight at once", "[request_pool]")
{
  RequestPool pool;
  std::vector<RequestRef> held;
  for (int round = 0; round < 1000; ++round) {
    for (int i = 0; i < 3; ++i)
      held.push_back(pool.take().first);
    for (auto ref : held)
      pool.release(ref);
    held.clear();
  }
  CHECK(pool.capacity() == 3);
  CHECK(pool.in_use() == 0);
}

TEST_CASE("request pool: a request keeps its place while the pool grows", "[request_pool]")
{
  RequestPool pool;
  auto [ref, request] = pool.take();
  request->id = 7;
  for (int i = 0; i < 10000; ++i)
    pool.take();
  CHECK(pool.get(ref) == request);
  CHECK(request->id == 7);
}
