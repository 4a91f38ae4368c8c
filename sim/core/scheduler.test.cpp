#include "sim/core/scheduler.hpp"

#include <catch2/catch.hpp>

#include <functional>
#include <memory>
#include <string>
#include <vector>

using archlab::EventId;
using archlab::Scheduler;

TEST_CASE("events run in time order, ties in the order they were scheduled (FIFO, as SimPy)", "[scheduler]")
{
  Scheduler scheduler;
  std::vector<std::string> ran;
  scheduler.at(2.0, [&] { ran.push_back("b@2"); });
  scheduler.at(1.0, [&] { ran.push_back("a@1"); });
  for (int i = 0; i < 5; ++i)
    scheduler.at(3.0, [&, i] { ran.push_back("tie" + std::to_string(i)); });
  scheduler.at(2.0, [&] { ran.push_back("c@2"); });
  scheduler.run_until(Scheduler::never);
  CHECK(ran == std::vector<std::string>{"a@1", "b@2", "c@2", "tie0", "tie1", "tie2", "tie3", "tie4"});
  CHECK(scheduler.now() == 3.0);
  CHECK(scheduler.events_run() == 8);
}

TEST_CASE("an event scheduled for now by a running event runs after those already due now", "[scheduler]")
{
  Scheduler scheduler;
  std::vector<int> ran;
  scheduler.at(1.0, [&] {
    ran.push_back(1);
    scheduler.after(0, [&] { ran.push_back(3); });
  });
  scheduler.at(1.0, [&] { ran.push_back(2); });
  CHECK(scheduler.run_next_instant() == 3);
  CHECK(ran == std::vector<int>{1, 2, 3});
}

TEST_CASE("cancel forgets an event; a stale id cancels nothing, even once its slot is reused", "[scheduler]")
{
  Scheduler scheduler;
  std::vector<int> ran;
  EventId first = scheduler.at(1.0, [&] { ran.push_back(1); });
  scheduler.at(2.0, [&] { ran.push_back(2); });
  CHECK(scheduler.cancel(first));
  CHECK_FALSE(scheduler.cancel(first));
  EventId reuse = scheduler.at(3.0, [&] { ran.push_back(3); });  // takes the freed slot
  CHECK(reuse.slot == first.slot);
  CHECK_FALSE(scheduler.cancel(first));
  CHECK(scheduler.is_pending(reuse));
  CHECK(scheduler.pending() == 2);
  scheduler.run_until(Scheduler::never);
  CHECK(ran == std::vector<int>{2, 3});
  CHECK_FALSE(scheduler.cancel(reuse));  // already ran
  CHECK_FALSE(scheduler.cancel(EventId{}));
}

TEST_CASE("run_until stops at the bound and leaves later events pending", "[scheduler]")
{
  Scheduler scheduler;
  int ran = 0;
  scheduler.at(1.0, [&] { ++ran; });
  EventId cancelled = scheduler.at(1.5, [&] { ran += 100; });
  scheduler.at(5.0, [&] { ++ran; });
  scheduler.cancel(cancelled);
  CHECK(scheduler.run_until(2.0) == 1);
  CHECK(ran == 1);
  CHECK(scheduler.next_time() == 5.0);
  CHECK(scheduler.run_until(5.0) == 1);  // an event exactly at the bound runs
  CHECK(scheduler.empty());
}

TEST_CASE("the past is now: an event asked for before the clock runs at the current time", "[scheduler]")
{
  Scheduler scheduler;
  double seen = -1;
  scheduler.at(4.0, [&] { scheduler.at(1.0, [&] { seen = scheduler.now(); }); });
  scheduler.run_until(Scheduler::never);
  CHECK(seen == 4.0);
}

TEST_CASE("large and move-only captures are kept and destroyed exactly once", "[scheduler]")
{
  auto counter = std::make_shared<int>(0);
  {
    Scheduler scheduler;
    std::vector<double> big(100, 1.0);
    auto owned = std::make_unique<int>(7);
    int got = 0;
    scheduler.at(1.0, [&got, owned = std::move(owned)] { got = *owned; });
    scheduler.at(2.0, [&got, big, counter] { got += static_cast<int>(big.size()); });
    scheduler.at(3.0, [counter] {});  // never runs: destroyed with the scheduler
    CHECK(counter.use_count() == 3);
    scheduler.run_until(2.5);
    CHECK(got == 107);
    CHECK(counter.use_count() == 2);
  }
  CHECK(counter.use_count() == 1);
}

TEST_CASE("a million chained events run, each at its time", "[scheduler]")
{
  Scheduler scheduler;
  std::uint64_t count = 0;
  std::function<void()> tick = [&] {
    if (++count < 1'000'000)
      scheduler.after(0.001, [&] { tick(); });
  };
  scheduler.at(0, [&] { tick(); });
  scheduler.run_until(Scheduler::never);
  CHECK(count == 1'000'000);
  CHECK(scheduler.events_run() == 1'000'000);
  CHECK(scheduler.now() == Approx(999.999));
}

TEST_CASE("cancelled events swept out of a large heap leave the others in time order, ties FIFO", "[scheduler]")
{
  Scheduler scheduler;
  std::vector<int> ran;
  std::vector<EventId> ids;
  // 6,000 events over 100 distinct times (many ties), then most cancelled: far past the sweep's threshold.
  for (int i = 0; i < 6000; ++i)
    ids.push_back(scheduler.at((i * 37) % 100, [&ran, i] { ran.push_back(i); }));
  for (int i = 0; i < 6000; ++i)
    if (i % 7 != 0)
      scheduler.cancel(ids[i]);
  CHECK(scheduler.pending() == 858);
  scheduler.run_until(Scheduler::never);
  REQUIRE(ran.size() == 858);
  for (std::size_t k = 1; k < ran.size(); ++k) {
    int before = ran[k - 1], after = ran[k];
    double before_s = (before * 37) % 100, after_s = (after * 37) % 100;
    REQUIRE((before_s < after_s || (before_s == after_s && before < after)));
  }
  for (int i : ran)
    CHECK(i % 7 == 0);
}
