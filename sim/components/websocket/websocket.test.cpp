// Websocket servers and the browsers that hold connections to them, on the test scheduler: who hears
// of which update, who is out of sync for how long, and when the downloads after a failure arrive.
#include "sim/core/fault_plan.hpp"
#include "sim/testing/test_world.hpp"

#include <catch2/catch.hpp>

using archlab::Operation;
using archlab::testing::Probe;
using archlab::testing::TestWorld;
using nlohmann::json;

namespace {
// 100 browsers connecting over the first second; the board comes from `origin` in 10 ms.
json board_model(json sockets, json live = json::object())
{
  sockets["type"] = "websocket";
  json defaults = {{"target", "sockets"}, {"connections", 100}, {"connect_over_s", 1}, {"board", {{"target", "origin"}}}};
  for (auto& [field, value] : live.items())
    defaults[field] = value;
  json viewers = {{"type", "client"}, {"target", "origin"}, {"arrivals", {{"rate_per_s", 0.001}}}, {"live", defaults}};
  json origin = {{"type", "service"}, {"concurrency", 1000}, {"service_time_ms", {{"dist", "constant"}, {"value", 10}}}};
  return {{"name", "websocket-test"},
          {"components", {{"viewers", viewers}, {"sockets", sockets}, {"origin", origin}}},
          {"run", {{"duration_s", 100}}}};
}

void publish_at(TestWorld& test, Probe& probe, double at_s, std::uint64_t tag)
{
  test.scheduler().at(at_s, [&test, &probe, tag] { probe.send(test.component("sockets"), tag, Operation::named("publish")); });
}

// Socket server `instance` dies at `at_s` (and stays down).
void kill_server_at(TestWorld& test, int instance, double at_s)
{
  archlab::FaultEvent kill;
  kill.action = "kill";
  kill.target = "sockets";
  kill.instance = instance;
  test.scheduler().at(at_s, [&test, kill] { test.component("sockets").apply_fault(kill, test.world()); });
}

json summary_of(TestWorld& test, const std::string& id, double end_s)
{
  json summary;
  test.component(id).add_summary(summary, end_s);
  return summary;
}

struct Run {
  json sockets;
  json viewers;
};
Run run_with(json sockets, json live, int updates, double end_s = 100)
{
  TestWorld test(board_model(std::move(sockets), std::move(live)));
  test.world().control().warm_up_ends(0);
  Probe probe(test.scheduler());
  test.start();
  for (int i = 0; i < updates; ++i)
    publish_at(test, probe, 10 + 0.5 * i, static_cast<std::uint64_t>(i + 1));
  test.run_until(end_s);
  return {summary_of(test, "sockets", end_s), summary_of(test, "viewers", end_s)};
}
}  // namespace

TEST_CASE("every update is one message to every open connection", "[websocket]")
{
  auto run = run_with({{"delivery_ms", 30}}, {}, 10);
  CHECK(run.sockets["connections"] == 100);
  CHECK(run.sockets["connections_per_server"] == json::array({50, 50}));
  CHECK(run.sockets["updates"] == 10);
  CHECK(run.sockets["messages"] == 1000);
  CHECK(run.sockets["lost"] == 0);
  CHECK(run.viewers["board_loads"] == 100);  // one download per browser, at connect
  CHECK(run.viewers["out_of_sync_fraction"] == 0);
}

TEST_CASE("a lost message leaves its browser out of sync until a full download", "[websocket]")
{
  // 20 updates from 10 s, every 0.5 s; each message lost with probability 0.05: about 100 losses.
  auto run = run_with({{"loss_rate", 0.05}}, {}, 20);
  auto lost = run.sockets["lost"].get<int>();
  CHECK(lost > 50);
  CHECK(lost < 160);
  CHECK(run.viewers["missed_updates"] == lost);
  CHECK(run.viewers["resyncs"] == 0);
  // Nobody reloads: a browser that lost one (between 10 and 20 s) stays behind to the end, 80 to 90
  // of the 100 s; P(a browser loses none of 20) = 0.95^20 = 0.36, so 0.64 × 0.8 to 0.64 × 0.9 of the
  // time, give or take the 100 browsers' chance (this seed loses 125 messages, not 100).
  auto fraction = run.viewers["out_of_sync_fraction"].get<double>();
  CHECK(fraction > 0.45);
  CHECK(fraction < 0.75);
}

TEST_CASE("with sequence numbers the next update shows the gap, and a resync mends it within a round trip", "[websocket]")
{
  // An update every 0.5 s from 10 s to 99.5 s (180), each message lost with probability 0.05.
  auto plain = run_with({{"loss_rate", 0.05}}, {}, 180);
  auto numbered = run_with({{"loss_rate", 0.05}}, {{"resync", "sequence"}}, 180);
  auto lost = numbered.sockets["lost"].get<double>();
  CHECK(numbered.sockets["lost"] == plain.sockets["lost"]);  // the same losses (the same stream)
  CHECK(numbered.viewers["resyncs"].get<double>() > 0.9 * lost);  // one each, but for a loss on the heels of another
  // Each loss costs the wait for the next update (0.5 s) and the 10 ms resync: lost × 0.51 s of the
  // 100 × 100 browser-seconds (the last update's losses wait to the end, 0.5 s too).
  CHECK(numbered.viewers["out_of_sync_fraction"].get<double>() == Approx(lost * 0.51 / 10000).epsilon(0.1));
  CHECK(numbered.viewers["out_of_sync_fraction"].get<double>() < plain.viewers["out_of_sync_fraction"].get<double>() / 10);
  CHECK(numbered.viewers["board_loads"] == 100);  // no more full downloads than without
}

TEST_CASE("a server that dies drops its connections; its browsers reconnect and download the board", "[websocket]")
{
  TestWorld test(board_model({{"delivery_ms", 30}}, {{"reconnect", {{"base_ms", 0}}}}));
  test.world().control().warm_up_ends(0);
  Probe probe(test.scheduler());
  test.start();
  kill_server_at(test, 0, 20);
  test.run_until(19);
  auto downloads_before = summary_of(test, "viewers", 19)["board_loads"].get<int>();
  test.run_until(20.5);
  auto sockets = summary_of(test, "sockets", 20.5);
  auto viewers = summary_of(test, "viewers", 20.5);
  CHECK(downloads_before == 100);
  CHECK(sockets["closed_by_failure"] == 50);
  CHECK(viewers["disconnects"] == 50);
  CHECK(sockets["connections_per_server"] == json::array({0, 100}));  // all on the one left, at once
  CHECK(viewers["board_loads"] == 150);                                // and each downloaded the board again, by 20.01 s
}

TEST_CASE("jittered reconnects spread the downloads over the backoff", "[websocket]")
{
  TestWorld test(board_model({}, {{"reconnect", {{"base_ms", 4000}, {"cap_ms", 4000}, {"jitter", "full"}}}}));
  test.world().control().warm_up_ends(0);
  test.start();
  kill_server_at(test, 0, 20);
  test.run_until(21);
  auto after_1_s = summary_of(test, "viewers", 21)["board_loads"].get<int>() - 100;
  test.run_until(25);
  auto after_5_s = summary_of(test, "viewers", 25)["board_loads"].get<int>() - 100;
  CHECK(after_1_s > 3);   // a quarter of 50 expected in the first of four seconds
  CHECK(after_1_s < 25);
  CHECK(after_5_s == 50);  // every wait is under 4 s
}

TEST_CASE("coalescing sends the updates of one window as one message per connection", "[websocket]")
{
  TestWorld test(board_model({{"coalesce_ms", 100}}));
  test.world().control().warm_up_ends(0);
  Probe probe(test.scheduler());
  test.start();
  for (int i = 0; i < 10; ++i)
    test.scheduler().at(10.001 + 0.009 * i, [&test, &probe, i] {
      probe.send(test.component("sockets"), static_cast<std::uint64_t>(i), Operation::named("publish"));
    });
  test.run_until(50);
  auto sockets = summary_of(test, "sockets", 50);
  CHECK(sockets["updates"] == 10);
  CHECK(sockets["batches"] == 1);
  CHECK(sockets["messages"] == 100);
}

TEST_CASE("a server that cannot write as fast as updates come closes its connections when their buffers fill", "[websocket]")
{
  // 50 connections × 10 ms a message on 1 CPU: 0.5 s a batch; an update every 0.5 s keeps it just
  // busy, so a buffer of 4 messages fills only when updates come faster: here every 0.1 s.
  TestWorld test(board_model({{"write_us_per_message", 10000}, {"vcpus", 1}, {"send_buffer_messages", 4}, {"instances", 1}},
                             {{"connections", 50}, {"reconnect", {{"base_ms", 60000}, {"cap_ms", 60000}, {"jitter", "none"}}}}));
  test.world().control().warm_up_ends(0);
  Probe probe(test.scheduler());
  test.start();
  for (int i = 0; i < 10; ++i)
    publish_at(test, probe, 10 + 0.1 * i, static_cast<std::uint64_t>(i + 1));
  test.run_until(30);
  auto sockets = summary_of(test, "sockets", 30);
  CHECK(sockets["batches"] == 10);
  // Batch k (from 0, sent at 10 + 0.1 k) waits 0.4 k s behind the others, 0.8 k batches: the 6th
  // (k = 5) finds 4 waiting, and the server closes every connection.
  CHECK(sockets["closed_full_buffers"] == 50);
  CHECK(sockets["messages"] == 250);  // the 5 batches before
  CHECK(sockets["connections"] == 0);           // reconnects wait 60 s
}

TEST_CASE("servers scale out on connections; the connections already open stay where they are", "[websocket][scaling]")
{
  // 100 browsers on one server, a target of 50 a server: at the 60 s check one more is launched, up
  // 10 s later. It takes new connections only, until the first server dies and its browsers move.
  TestWorld test(board_model({{"instances", 1},
                              {"scaling", {{"max_servers", 3}, {"target_connections_per_server", 50}, {"launch_time_s", 10}, {"interval_s", 60}}}},
                             {{"reconnect", {{"base_ms", 0}}}}));
  test.world().control().warm_up_ends(0);
  test.start();
  test.run_until(65);
  CHECK(summary_of(test, "sockets", 65)["servers_up"] == 1);
  test.run_until(75);
  auto after_launch = summary_of(test, "sockets", 75);
  CHECK(after_launch["servers_up"] == 2);
  CHECK(after_launch["connections_per_server"] == json::array({100, 0}));
  kill_server_at(test, 0, 80);
  test.run_until(81);
  CHECK(summary_of(test, "sockets", 81)["connections_per_server"] == json::array({0, 100}));
  test.run_until(125);  // the 120 s check: 100 connections on one server up want two; the third is launched
  CHECK(summary_of(test, "sockets", 125)["connections_per_server"].size() == 3);
}

TEST_CASE("a resync is answered from the updates a server keeps, after a round trip; an older gap fails", "[websocket]")
{
  TestWorld test(board_model({{"history_updates", 5}, {"delivery_ms", {{"dist", "constant"}, {"value", 20}}}}));
  Probe probe(test.scheduler());
  test.start();
  for (int i = 0; i < 10; ++i)
    publish_at(test, probe, 10 + 0.1 * i, static_cast<std::uint64_t>(i + 1));
  test.scheduler().at(12, [&] {
    probe.prototype.key = 6;  // updates 6 to 10: the last five, held
    probe.send(test.component("sockets"), 100, Operation::named("resync"));
    probe.prototype.key = 5;  // 5 is gone
    probe.send(test.component("sockets"), 101, Operation::named("resync"));
  });
  test.run_until(20);
  std::vector<archlab::testing::Heard> resyncs;
  for (const auto& heard : probe.answers)
    if (heard.tag >= 100)
      resyncs.push_back(heard);
  REQUIRE(resyncs.size() == 2);
  CHECK(resyncs[0].at_s == Approx(12.04));  // two 20 ms trips
  CHECK(resyncs[0].outcome == archlab::Outcome::ok);
  CHECK(resyncs[1].outcome == archlab::Outcome::failed);
  CHECK(resyncs[1].status == archlab::Status::not_found);
}

TEST_CASE("a board from a cache that predates an update the browser was sent puts it behind; a numbered board is caught up", "[websocket][live]")
{
  // The board through a CDN keeping it 30 s; browsers reload every 20 s on average; an update every
  // 0.5 s from 10 s. A copy fetched before an update and served after it overwrites that update.
  auto model_with = [](json live) {
    json model = board_model({{"history_updates", 1000}}, live);
    model["components"]["edge"] = {{"type", "cdn"}, {"default_ttl_s", 30}, {"origin", {{"target", "origin"}}},
                                   {"edge_latency_ms", {{"dist", "constant"}, {"value", 5}}}};
    return model;
  };
  auto run = [&](json live) {
    TestWorld test(model_with(std::move(live)));
    test.world().control().warm_up_ends(0);
    Probe probe(test.scheduler());
    test.start();
    for (int i = 0; i < 180; ++i)
      publish_at(test, probe, 10 + 0.5 * i, static_cast<std::uint64_t>(i + 1));
    test.run_until(100);
    return summary_of(test, "viewers", 100);
  };
  json board = {{"target", "edge"}};
  auto plain = run({{"board", board}, {"reload_every_s", 20}});
  auto numbered = run({{"board", board}, {"reload_every_s", 20}, {"resync", "sequence"},
                       {"catch_up", {{"target", "sockets"}, {"operation", "resync"}}}});
  CHECK(plain["stale_boards"].get<int>() > 100);  // most of the ~450 reloads after 10 s
  CHECK(plain["out_of_sync_fraction"].get<double>() > 0.5);
  CHECK(plain["resyncs"] == 0);
  CHECK(numbered["stale_boards"] == plain["stale_boards"]);  // the same reloads, the same copies
  // each caught up from the servers (but one whose browser's previous resync was still on its way)
  CHECK(numbered["resyncs"].get<double>() >= 0.99 * numbered["stale_boards"].get<double>());
  CHECK(numbered["resyncs"].get<double>() <= numbered["stale_boards"].get<double>());
  // each stale board costs one 60 ms round trip (two 30 ms deliveries on average)
  CHECK(numbered["out_of_sync_fraction"].get<double>() == Approx(numbered["stale_boards"].get<double>() * 0.06 / 10000).epsilon(0.25));
}
