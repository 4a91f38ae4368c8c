// The instance pool on the test scheduler, with an owner that records what it hears: transitions,
// a group's replacements and their zones, retire order, billing hours.
#include "sim/instances/instance_pool.hpp"

#include "sim/core/fault_plan.hpp"
#include "sim/testing/test_world.hpp"

#include <catch2/catch.hpp>

using archlab::FaultEvent;
using archlab::InstanceChange;
using archlab::InstancePool;
using archlab::Life;
using archlab::PooledInstance;
using archlab::World;
using archlab::testing::TestWorld;
using nlohmann::json;

namespace {
struct Heard {
  std::size_t index;
  InstanceChange change;
  double at_s;
  bool operator==(const Heard& other) const { return index == other.index && change == other.change && at_s == other.at_s; }
};

class Recorder final : public archlab::InstanceOwner {
public:
  void instance_changed(PooledInstance& instance, InstanceChange change, World& world) override
  {
    heard.push_back({instance.index, change, world.now()});
    if (change == InstanceChange::retiring && finishes_retirement_at_once)
      pool->finish_retirement(instance);
  }
  std::vector<Heard> heard;
  InstancePool* pool = nullptr;
  bool finishes_retirement_at_once = false;
};

// A world holding one service "web" whose validated parameters (defaults filled in) the pool reads.
json model_with(json web)
{
  web["type"] = "service";
  return {{"name", "pool-test"}, {"components", {{"web", web}}}, {"run", {{"duration_s", 1000}}}};
}

json group(int min, int max, double launch_time_s)
{
  return {{"min", min}, {"max", max}, {"launch_time_s", launch_time_s}, {"policies", json::array()}};
}

FaultEvent fault(const std::string& action, int instance)
{
  FaultEvent event;
  event.action = action;
  event.target = "web";
  event.instance = instance;
  return event;
}

FaultEvent zone_fault(const std::string& action, const std::string& zone)
{
  FaultEvent event;
  event.action = action;
  event.zone = zone;
  return event;
}

struct Fixture {
  explicit Fixture(json web)
      : test(model_with(std::move(web))),
        pool("web", test.world().model().components().at("web"), {"instance", "ec2.t3.micro.hour"}, 2, owner, test.world())
  {
    owner.pool = &pool;
    pool.add_initial_instances();
  }
  void at(double time_s, const FaultEvent& event)
  {
    test.scheduler().at(time_s, [this, event] { pool.apply_fault(event, test.world()); });
  }
  TestWorld test;
  Recorder owner;
  InstancePool pool;
};
}  // namespace

TEST_CASE("instance pool: without a group a killed instance is down until a recovery brings it back", "[instances]")
{
  Fixture f(json{{"instances", 2}});
  f.at(10, fault("kill", 1));
  f.at(20, fault("kill", 1));  // already down: nothing happens
  f.at(30, fault("recover", 1));
  f.test.run_until(15);
  CHECK(f.pool.at(1).life == Life::down);
  CHECK(f.pool.instances_in_service() == 1);
  CHECK(f.pool.readings(15).size() == 1);  // the group would read the running one only
  f.test.run_until(100);
  CHECK(f.pool.at(1).life == Life::in_service);
  std::vector<Heard> expected = {{0, InstanceChange::added, 0},          {1, InstanceChange::added, 0},
                                 {1, InstanceChange::stopped, 10},       {1, InstanceChange::loss_reported, 10},
                                 {1, InstanceChange::recovering, 30},    {1, InstanceChange::recovered, 30}};
  CHECK(f.owner.heard == expected);
  json summary;
  f.pool.add_summary(summary, 100);
  CHECK(summary["instances"]["min"] == 1);
  CHECK(summary["instances"]["mean"].get<double>() == Approx((2 * 10 + 1 * 20 + 2 * 70) / 100.0));
}

TEST_CASE("instance pool: a hung instance is frozen until a recovery restarts it; a kill ends the hang", "[instances]")
{
  Fixture f(json{{"instances", 1}});
  f.at(10, fault("hang", 0));
  f.at(11, fault("hang", 0));  // already hung
  f.at(20, fault("recover", 0));
  f.at(30, fault("hang", 0));
  f.at(40, fault("kill", 0));
  f.test.run_until(25);
  CHECK(f.pool.at(0).takes_work());
  CHECK_FALSE(f.pool.at(0).is_hung);
  f.test.run_until(100);
  CHECK(f.pool.at(0).life == Life::down);
  CHECK_FALSE(f.pool.at(0).is_hung);
  std::vector<Heard> expected = {{0, InstanceChange::added, 0},   {0, InstanceChange::hung, 10},    {0, InstanceChange::unhung, 20},
                                 {0, InstanceChange::recovering, 20}, {0, InstanceChange::hung, 30}, {0, InstanceChange::stopped, 40},
                                 {0, InstanceChange::loss_reported, 40}};
  CHECK(f.owner.heard == expected);
}

TEST_CASE("instance pool: in a group, instances lost with their zone are terminated and replaced in a zone that is up", "[instances]")
{
  Fixture f(json{{"zones", {"a", "b"}}, {"scaling", group(2, 4, 30)}});
  f.at(10, zone_fault("zone_outage", "a"));
  f.at(60, zone_fault("recover", "a"));
  f.test.run_until(100);
  REQUIRE(f.pool.size() == 3);
  CHECK(f.pool.at(0).zone == "a");
  CHECK(f.pool.at(0).life == Life::terminated);  // the zone's recovery does not bring back what the group replaced
  CHECK(f.pool.at(1).zone == "b");
  CHECK(f.pool.at(2).zone == "b");  // a is down at 40, when the replacement goes InService: b, though it holds one already
  std::vector<Heard> expected = {{0, InstanceChange::added, 0}, {1, InstanceChange::added, 0}, {0, InstanceChange::stopped, 10},
                                 {0, InstanceChange::loss_reported, 10}, {2, InstanceChange::launched, 40}};
  CHECK(f.owner.heard == expected);
  CHECK(f.pool.instances_in_service() == 2);
}

TEST_CASE("instance pool: without a group a zone's recovery brings back what its outage took, not what was killed before", "[instances]")
{
  Fixture f(json{{"instances", 4}, {"zones", {"a", "b"}}});  // 0 and 2 in a
  f.at(5, fault("kill", 2));
  f.at(10, zone_fault("zone_outage", "a"));
  f.at(60, zone_fault("recover", "a"));
  f.test.run_until(100);
  CHECK(f.pool.at(0).life == Life::in_service);
  CHECK(f.pool.at(2).life == Life::down);
  CHECK(f.pool.instances_in_service() == 3);
}

TEST_CASE("instance pool: scale-in retires the newest instance in service and passes over one retiring", "[instances]")
{
  Fixture f(json{{"scaling", group(3, 3, 30)}});
  f.pool.retire_instance(f.test.world());
  f.pool.retire_instance(f.test.world());
  CHECK(f.pool.at(2).life == Life::retiring);  // the owner has not finished it: still holds work
  CHECK(f.pool.at(1).life == Life::retiring);
  CHECK(f.pool.at(0).takes_work());
  REQUIRE(f.pool.readings(0).size() == 1);
  CHECK(f.pool.readings(0)[0].instance_id == 0);
  f.pool.finish_retirement(f.pool.at(2));
  CHECK(f.pool.at(2).is_gone());
  // A retiring instance killed is gone too, and the group is not asked to replace it.
  f.pool.apply_fault(fault("kill", 1), f.test.world());
  CHECK(f.pool.at(1).is_gone());
  f.test.run_until(100);
  CHECK(f.pool.size() == 3);
}

TEST_CASE("instance pool: billing hours run from launch to termination, across a kill and its replacement", "[instances]")
{
  SECTION("in a group: the killed one until its kill, the replacement from its launch, pending included")
  {
    Fixture f(json{{"scaling", group(2, 2, 30)}});
    f.at(100, fault("kill", 0));
    f.test.run_until(120);
    CHECK(f.pool.instances_in_service() == 1);  // the replacement is pending until 130
    CHECK(f.pool.billing(120).quantity == Approx((2 * 100 + 2 * 20) / 3600.0));
    f.test.run_until(200);
    CHECK(f.pool.at(2).takes_work());
    auto line = f.pool.billing(200);
    CHECK(line.item == "ec2.t3.micro.hour");
    CHECK(line.quantity == Approx(2 * 200 / 3600.0));
  }
  SECTION("without a group: a killed instance is restarted, not terminated, and billed all along")
  {
    Fixture f(json{{"instances", 2}});
    f.at(100, fault("kill", 0));
    f.at(150, fault("recover", 0));
    f.test.run_until(200);
    CHECK(f.pool.billing(200).quantity == Approx(2 * 200 / 3600.0));
  }
}
