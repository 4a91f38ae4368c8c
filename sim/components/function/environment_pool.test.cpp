#include "sim/components/function/environment_pool.hpp"

#include <catch2/catch.hpp>

using archlab::EnvironmentPool;
using archlab::EnvironmentState;

TEST_CASE("environment pool: an invocation takes the newest idle environment, so the older ones age out", "[function]")
{
  EnvironmentPool pool(600);
  auto first = pool.add(false);
  auto second = pool.add(false);
  pool.set_busy(first);
  pool.set_busy(second);
  pool.set_idle(first, 10);
  pool.set_idle(second, 20);
  CHECK(pool.take_idle(30, false) == second);
  pool.set_idle(second, 40);
  // first has been idle since 10: at 610 it is gone; second (idle since 40) is still warm.
  CHECK(pool.take_idle(610, false) == second);
  CHECK(pool.expired() == 1);
  CHECK(pool.count(EnvironmentState::idle) == 0);
  CHECK(pool.live() == 1);
}

TEST_CASE("environment pool: an environment idle just under the idle timeout is still warm, at it is gone", "[function]")
{
  EnvironmentPool pool(600);
  auto index = pool.add(false);
  pool.set_busy(index);
  pool.set_idle(index, 100);
  CHECK(pool.expire_idle(699.999) == 0);
  CHECK(pool.expire_idle(700) == 1);
  CHECK_FALSE(pool.take_idle(700, false).has_value());
}

TEST_CASE("environment pool: provisioned environments never expire and are kept apart from on-demand ones", "[function]")
{
  EnvironmentPool pool(1);
  auto provisioned = pool.add(true);
  pool.set_busy(provisioned);
  pool.set_idle(provisioned, 0);
  CHECK_FALSE(pool.take_idle(1e6, false).has_value());
  CHECK(pool.take_idle(1e6, true) == provisioned);
  CHECK(pool.expired() == 0);
}

TEST_CASE("environment pool: a reset environment is gone and its slot is reused by the next new one", "[function]")
{
  EnvironmentPool pool(600);
  auto index = pool.add(false);
  pool.set_busy(index);
  pool.reset(index);
  CHECK(pool.live() == 0);
  CHECK(pool.count(EnvironmentState::gone) == 1);
  CHECK(pool.add(false) == index);
  CHECK(pool.count(EnvironmentState::initializing) == 1);
  pool.set_busy(index);
  pool.set_idle(index, 0);
  CHECK_THROWS(pool.reset(index));  // idle runs nothing that could time out
}
