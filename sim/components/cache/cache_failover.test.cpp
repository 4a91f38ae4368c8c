// The cache's node failures on the test scheduler: Multi-AZ failover to a replica, writes lost to
// asynchronous replication, a restart empty and its rebuild from a source, big values over the node's
// network, the age of a hit. Who was answered when, and with what.
#include "sim/components/cache/cache.hpp"
#include "sim/core/fault_plan.hpp"
#include "sim/core/key_versions.hpp"
#include "sim/core/model.hpp"
#include "sim/testing/test_world.hpp"

#include <catch2/catch.hpp>

#include <memory>

using archlab::CacheArguments;
using archlab::FaultEvent;
using archlab::Operation;
using archlab::Outcome;
using archlab::PutArguments;
using archlab::Status;
using archlab::testing::TestWorld;
using nlohmann::json;

namespace {
const Operation get_operation = Operation::named("get");
const Operation put_operation = Operation::named("put");

json constant_ms(double value) { return {{"dist", "constant"}, {"value", value}}; }

// A cache answering in 1 ms, and a source that answers any request in `source_ms` (a full read).
json cache_model(json cache, double source_ms = 5000)
{
  cache["type"] = "cache";
  cache["latency_ms"] = {{"get", constant_ms(1)}, {"put", constant_ms(1)}, {"delete", constant_ms(1)}};
  json source = {{"type", "service"}, {"service_time_ms", constant_ms(source_ms)}};
  return {{"name", "cache-failover-test"}, {"components", {{"cache", cache}, {"source", source}}}, {"run", {{"duration_s", 1000}}}};
}

// What a caller heard, all of it: the Probe of test_world.hpp keeps neither size nor age.
struct Heard {
  std::uint64_t tag;
  double at_s;
  Outcome outcome;
  Status status;
  std::uint32_t size_bytes;
  float age_s;
};

class Listener final : public archlab::Caller {
public:
  Listener(TestWorld& test, std::uint64_t key) : test_(test) { prototype_.key = key; }

  void send_at(double at_s, std::uint64_t tag, Operation operation, const archlab::CallArguments* arguments = nullptr)
  {
    test_.scheduler().at(at_s, [this, tag, operation, arguments] {
      requests_.push_back(std::make_unique<archlab::Request>(prototype_));
      auto& request = *requests_.back();
      request.id = tag;
      request.is_measured = true;
      test_.component("cache").accept({&request, this, tag, operation, arguments});
    });
  }
  void on_answer(const archlab::Call& call, const archlab::Answer& answer) override
  {
    heard.push_back({call.tag, test_.scheduler().now(), answer.outcome, answer.status, answer.size_bytes, answer.age_s});
  }
  const Heard& of(std::uint64_t tag) const
  {
    for (const auto& one : heard)
      if (one.tag == tag)
        return one;
    FAIL("no answer to call " << tag);
    return heard.front();
  }

  std::vector<Heard> heard;

private:
  TestWorld& test_;
  archlab::Request prototype_;
  std::vector<std::unique_ptr<archlab::Request>> requests_;
};

void fault_at(TestWorld& test, double at_s, const char* action, const char* target = "cache")
{
  FaultEvent fault{.at_s = at_s, .action = action, .target = target};
  test.scheduler().at(at_s, [&test, fault] { test.component(fault.target).apply_fault(fault, test.world()); });
}

json summary_of(TestWorld& test, double end_s = 1000)
{
  json summary;
  test.component("cache").add_summary(summary, end_s);
  return summary;
}

std::vector<archlab::Problem> problems_of(const json& model)
{
  try {
    archlab::model_from_json(model, "m.json");
  } catch (const archlab::InputError& error) {
    return error.problems();
  }
  return {};
}
}  // namespace

TEST_CASE("conformance (ElastiCache Multi-AZ: a failed primary fails over to a replica; writes resume once it is promoted, with the data)",
          "[cache][failover][conformance]")
{
  TestWorld test(cache_model({{"replicas", 1}, {"multi_az", true}, {"failover_s", 20}}));
  Listener writer(test, 2);
  Listener reader(test, 1);
  test.start();
  reader.send_at(0, 100, put_operation);  // key 1 stored long before the failure
  fault_at(test, 10, "kill");
  for (std::uint64_t i = 0; i < 25; ++i)
    writer.send_at(10.5 + static_cast<double>(i), i, put_operation);  // a put a second, 10.5 s to 34.5 s
  reader.send_at(31, 101, get_operation);
  test.run_until(100);
  for (const auto& heard : writer.heard) {
    double sent_s = 10.5 + static_cast<double>(heard.tag);
    if (sent_s < 30) {  // refused at once while the replica is promoted
      CHECK(heard.outcome == Outcome::failed);
      CHECK(heard.at_s == Approx(sent_s));
    } else {
      CHECK(heard.outcome == Outcome::ok);
      CHECK(heard.at_s == Approx(sent_s + 0.001));
    }
  }
  CHECK(writer.of(19).outcome == Outcome::failed);  // 29.5 s
  CHECK(writer.of(20).at_s == Approx(30.501));      // the first put after the promotion at 30 s
  CHECK(reader.of(101).status == Status::hit);      // what the old primary held survived
  auto summary = summary_of(test, 100);
  CHECK(summary["failovers"] == 1);
  CHECK(summary["failover_s"].get<double>() == Approx(20));
  CHECK(summary["writes_refused"] == 20);
  CHECK(summary["writes_lost"] == 0);  // nothing written within the lag before the failure
  CHECK(summary["items_lost"] == 0);
  CHECK(summary["replicas_in_service"] == 0);
  CHECK(summary["state_at_end"] == "serving");
}

TEST_CASE("conformance (ElastiCache: replication is asynchronous, so the promoted replica, the one with the least lag, lacks the last writes)",
          "[cache][failover][conformance]")
{
  TestWorld test(cache_model({{"replicas", 1}, {"multi_az", true}, {"failover_s", 5}, {"replication_lag_ms", 100}}));
  Listener one(test, 1);
  Listener three(test, 3);
  Listener four(test, 4);
  test.start();
  one.send_at(1, 1, put_operation);      // version 1 of key 1: replicated long before
  four.send_at(9.5, 1, put_operation);   // replicated 0.4 s before the failure
  one.send_at(9.95, 2, put_operation);   // version 2 of key 1: 50 ms before, not replicated
  three.send_at(9.97, 1, put_operation); // key 3's first copy, not replicated
  fault_at(test, 10, "kill");
  one.send_at(16, 3, get_operation);
  three.send_at(16, 2, get_operation);
  four.send_at(16, 2, get_operation);
  test.run_until(20);
  CHECK(one.of(2).outcome == Outcome::ok);  // acknowledged before the failure, all the same lost
  CHECK(one.of(3).status == Status::hit);   // the replica's copy: version 1, stale
  CHECK(three.of(2).status == Status::miss);
  CHECK(four.of(2).status == Status::hit);
  auto summary = summary_of(test, 20);
  CHECK(summary["writes_lost"] == 2);
  CHECK(summary["stale_hits"] == 1);
  CHECK(archlab::key_versions_of(test.world()).version(1) == 2);  // the write did happen, the cache lost it
}

TEST_CASE("conformance (ElastiCache: each failover promotes one replica; with none left, or without Multi-AZ, a failed node restarts empty)",
          "[cache][failover][conformance]")
{
  SECTION("two replicas: two failovers, the third failure has no replica to promote")
  {
    TestWorld test(cache_model({{"replicas", 2}, {"multi_az", true}, {"failover_s", 5}}));
    Listener client(test, 1);
    test.start();
    client.send_at(0, 1, put_operation);
    fault_at(test, 10, "kill");
    client.send_at(16, 2, get_operation);
    fault_at(test, 20, "kill");
    client.send_at(26, 3, get_operation);
    fault_at(test, 30, "kill");
    fault_at(test, 40, "recover");
    client.send_at(41, 4, get_operation);
    test.run_until(50);
    CHECK(client.of(2).status == Status::hit);
    CHECK(client.of(3).status == Status::hit);
    CHECK(client.of(4).status == Status::miss);  // down at 30 s, restarted empty at 40 s
    auto summary = summary_of(test, 50);
    CHECK(summary["failovers"] == 2);
    CHECK(summary["failover_s"].get<double>() == Approx(10));
    CHECK(summary["items_lost"] == 1);
  }
  SECTION("a failed node that recovers is replaced and joins again as a replica: the next failure fails over")
  {
    TestWorld test(cache_model({{"replicas", 1}, {"multi_az", true}, {"failover_s", 5}}));
    Listener client(test, 1);
    test.start();
    client.send_at(0, 1, put_operation);
    fault_at(test, 10, "kill");
    fault_at(test, 40, "recover");  // as a kill's for_s of 30 s
    fault_at(test, 50, "kill");
    client.send_at(56, 2, get_operation);
    test.run_until(60);
    CHECK(client.of(2).status == Status::hit);
    CHECK(summary_of(test, 60)["failovers"] == 2);
  }
  SECTION("a replica without Multi-AZ is not promoted: the node is down until it recovers, then empty")
  {
    TestWorld test(cache_model({{"replicas", 1}}));
    Listener client(test, 1);
    test.start();
    client.send_at(0, 1, put_operation);
    fault_at(test, 10, "kill");
    client.send_at(20, 2, put_operation);
    fault_at(test, 40, "recover");
    client.send_at(41, 3, get_operation);
    test.run_until(50);
    CHECK(client.of(2).outcome == Outcome::failed);
    CHECK(client.of(3).status == Status::miss);
    auto summary = summary_of(test, 50);
    CHECK(summary["failovers"] == 0);
    CHECK(summary["items_lost"] == 1);
    CHECK(summary["writes_refused"] == 1);
  }
}

TEST_CASE("conformance (ElastiCache: a node without replication restarts empty; rebuilt from its source, it takes writes once the source has answered)",
          "[cache][rebuild][conformance]")
{
  // The source answers in 5 s: restart at 20 s, rebuilt at 25 s.
  TestWorld test(cache_model({{"rebuild", {{"target", "source"}}}}, 5000));
  Listener board(test, 1);
  Listener other(test, 2);
  test.start();
  board.send_at(0, 1, put_operation);
  fault_at(test, 10, "kill");
  fault_at(test, 20, "recover");
  other.send_at(15, 10, put_operation);  // down: refused
  for (std::uint64_t i = 0; i < 8; ++i)
    other.send_at(20.5 + static_cast<double>(i), 20 + i, put_operation);  // 20.5 s to 27.5 s
  board.send_at(21, 2, get_operation);
  board.send_at(26, 3, get_operation);
  test.run_until(40);
  CHECK(other.of(10).outcome == Outcome::failed);
  for (std::uint64_t i = 0; i < 8; ++i) {
    const auto& heard = other.of(20 + i);
    double sent_s = 20.5 + static_cast<double>(i);
    CHECK(heard.outcome == (sent_s < 25 ? Outcome::rejected : Outcome::ok));
    CHECK(heard.at_s == Approx(sent_s + 0.001));
  }
  CHECK(board.of(2).status == Status::miss);  // out of service: the application reads the source
  CHECK(board.of(3).status == Status::hit);   // the key it held before, rebuilt
  CHECK(board.of(3).age_s == Approx(1));      // a fresh copy, from the rebuild at 25 s
  auto summary = summary_of(test, 40);
  CHECK(summary["rebuilds"] == 1);
  CHECK(summary["rebuild_s"].get<double>() == Approx(5));
  CHECK(summary["writes_refused"] == 6);  // one while down, five while rebuilt
  CHECK(summary["state_at_end"] == "serving");
  CHECK(test.component("source").stats().lifetime().arrivals == 1);  // one call
}

TEST_CASE("cache: a rebuild from a table's full scan takes the scan's pages; a failed rebuild is called again", "[cache][rebuild]")
{
  SECTION("a table scan: 10 pages of 100 ms")
  {
    auto model = cache_model({{"rebuild", {{"target", "db"}, {"operation", "scan"}}}});
    model["components"]["db"] = {{"type", "table"}, {"item_count", 10240}, {"latency_ms", {{"scan", constant_ms(100)}}}};
    TestWorld test(model);
    Listener client(test, 1);
    test.start();
    fault_at(test, 10, "kill");
    fault_at(test, 20, "recover");
    client.send_at(20.5, 1, put_operation);
    client.send_at(22, 2, put_operation);
    test.run_until(40);
    auto rebuild_s = summary_of(test, 40)["rebuild_s"].get<double>();
    CHECK(rebuild_s == Approx(1.0));  // ten pages of 100 ms, one after another
    CHECK(client.of(1).outcome == Outcome::rejected);
    CHECK(client.of(2).outcome == Outcome::ok);
  }
  SECTION("a source down at the restart: the rebuild is tried again retry_after_s later")
  {
    TestWorld test(cache_model({{"rebuild", {{"target", "source"}, {"retry_after_s", 10}}}}, 1000));
    Listener client(test, 1);
    test.start();
    fault_at(test, 5, "kill", "source");
    fault_at(test, 10, "kill");
    fault_at(test, 20, "recover");
    fault_at(test, 25, "recover", "source");
    client.send_at(29, 1, put_operation);
    client.send_at(32, 2, put_operation);
    test.run_until(60);
    auto summary = summary_of(test, 60);
    CHECK(summary["rebuild_failures"] == 1);  // the call at 20 s; the one at 30 s answers at 31 s
    CHECK(summary["rebuild_s"].get<double>() == Approx(11).margin(0.01));
    CHECK(client.of(1).outcome == Outcome::rejected);
    CHECK(client.of(2).outcome == Outcome::ok);
  }
}

TEST_CASE("cache: a big value's get and put take their transfer over the node's network, one after another", "[cache][big_values]")
{
  TestWorld test(cache_model({}));  // cache.t3.micro: 5 Gbps
  Listener board(test, 1);
  test.start();
  PutArguments whole_board;
  whole_board.size_bytes = 500000;
  CacheArguments read_board;
  read_board.size_bytes = 500000;
  board.send_at(0, 1, put_operation, &whole_board);
  board.send_at(1, 2, get_operation, &read_board);
  board.send_at(1, 3, get_operation, &read_board);  // waits for the first on the way out
  board.send_at(2, 4, get_operation);               // no size: as before
  test.run_until(5);
  CHECK(board.of(1).at_s == Approx(0.0008 + 0.001));  // received, then SET
  CHECK(board.of(2).at_s == Approx(1.001 + 0.0008));  // looked up, then sent
  CHECK(board.of(3).at_s == Approx(1.001 + 0.0016));
  CHECK(board.of(2).size_bytes == 500000);
  CHECK(board.of(4).at_s == Approx(2.001));
  CHECK(board.of(4).size_bytes == 1024);
  CHECK(board.of(2).age_s == Approx(1));  // stored on arrival at 0 s
}

TEST_CASE("cache: network_gbps sets the node's bandwidth, and a call site's size_bytes reaches the cache", "[cache][big_values]")
{
  auto model = cache_model({{"network_gbps", 1}});
  model["components"]["api"] = {{"type", "service"}, {"service_time_ms", constant_ms(0)},
                                {"calls", {{{"target", "cache"}, {"operation", "get"}, {"size_bytes", 500000}}}}};
  TestWorld test(model);
  archlab::testing::Probe probe(test.scheduler());  // key 0: the one key the api reads
  test.start();
  probe.send(test.component("cache"), 1, put_operation);
  test.scheduler().at(1, [&] { probe.send(test.component("api"), 2); });
  test.run_until(2);
  REQUIRE(probe.answers.size() == 2);
  CHECK(probe.answers[1].at_s == Approx(1 + 0.001 + 0.004));  // the lookup, then 500 kB at 1 Gbps
}

TEST_CASE("cache: a hit says how old its copy is", "[cache]")
{
  TestWorld test(cache_model({}));
  Listener client(test, 1);
  test.start();
  client.send_at(2, 1, put_operation);
  client.send_at(7.5, 2, get_operation);
  client.send_at(8, 3, Operation::named("delete"));
  client.send_at(9, 4, get_operation);
  test.run_until(10);
  CHECK(client.of(2).status == Status::hit);
  CHECK(client.of(2).age_s == Approx(5.5));
  CHECK(client.of(4).status == Status::miss);
  CHECK(client.of(4).age_s == 0);
}

TEST_CASE("cache: replicas are billed as nodes; a model's own nodes stay as given", "[cache]")
{
  auto billed = [](json cache) {
    TestWorld test(cache_model(std::move(cache)));
    std::vector<archlab::BillingLine> lines;
    test.component("cache").add_billing(lines, 3600);
    return lines.at(0).quantity;
  };
  CHECK(billed({}) == Approx(1));
  CHECK(billed({{"replicas", 2}, {"multi_az", true}}) == Approx(3));
  CHECK(billed({{"nodes", 2}}) == Approx(2));
  CHECK(billed({{"nodes", 3}, {"replicas", 2}}) == Approx(3));
}

TEST_CASE("cache: bad replication, rebuild and size settings are refused with their path", "[cache]")
{
  auto first_problem = [](json cache, json api_call = nullptr) {
    auto model = cache_model(std::move(cache));
    if (!api_call.is_null())
      model["components"]["api"] = {{"type", "service"}, {"calls", {api_call}}};
    auto problems = problems_of(model);
    return problems.empty() ? std::string("none") : problems[0].path + ": " + problems[0].message;
  };
  CHECK_THAT(first_problem({{"multi_az", true}}), Catch::StartsWith("components.cache.multi_az: Multi-AZ needs a read replica"));
  CHECK_THAT(first_problem({{"multi_az", true}, {"replicas", 0}}), Catch::StartsWith("components.cache.multi_az"));
  CHECK(first_problem({{"multi_az", true}, {"nodes", 2}}) == "none");  // nodes beyond the primary are replicas
  CHECK_THAT(first_problem({{"nodes", 3}, {"replicas", 1}}), Catch::StartsWith("components.cache.nodes: counts the primary and its replicas"));
  CHECK_THAT(first_problem({{"replicas", 6}}), Catch::StartsWith("components.cache.replicas"));
  CHECK_THAT(first_problem({{"failover_s", -1}}), Catch::StartsWith("components.cache.failover_s"));
  CHECK_THAT(first_problem({{"rebuild", {{"operation", "scan"}}}}), Catch::StartsWith("components.cache.rebuild.target"));
  CHECK_THAT(first_problem({{"rebuild", {{"target", "nowhere"}}}}), Catch::StartsWith("components.cache.rebuild.target"));
  CHECK_THAT(first_problem({}, {{"target", "cache"}, {"operation", "get"}, {"size_bytes", -1}}),
             Catch::StartsWith("components.api.calls[0].size_bytes"));
  CHECK_THAT(first_problem({}, {{"target", "cache"}, {"operation", "put"}, {"size_bytes", 1e12}}),
             Catch::StartsWith("components.api.calls[0].size_bytes"));
  CHECK(first_problem({}, {{"target", "cache"}, {"operation", "put"}, {"size_bytes", 500000}, {"fill", true}}) == "none");
}

TEST_CASE("cache: a call site naming one key reads and writes that key, whatever its requests' keys (a board as one bitfield)", "[cache][big_values]")
{
  TestWorld test(cache_model({}));
  Listener pixel_writer(test, 123);  // the pixel's key, not the board's
  Listener board_reader(test, 456);
  test.start();
  PutArguments set_pixel;
  set_pixel.key = 1;
  CacheArguments read_board;
  read_board.key = 1;
  read_board.size_bytes = 500000;
  pixel_writer.send_at(0, 1, put_operation, &set_pixel);
  board_reader.send_at(1, 2, get_operation, &read_board);
  board_reader.send_at(2, 3, get_operation);  // its own key 456: never written
  test.run_until(3);
  CHECK(board_reader.of(2).status == Status::hit);
  CHECK(board_reader.of(2).size_bytes == 500000);
  CHECK(board_reader.of(3).status == Status::miss);
  CHECK(archlab::key_versions_of(test.world()).version(1) == 1);  // the write went to the board's key
  CHECK(archlab::key_versions_of(test.world()).version(123) == 0);
  auto model = cache_model({});
  model["components"]["api"] = {{"type", "service"}, {"calls", {{{"target", "cache"}, {"operation", "put"}, {"key", 1}}}}};
  CHECK(problems_of(model).empty());
  model["components"]["api"]["calls"][0]["key"] = -1;
  auto problems = problems_of(model);
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].path == "components.api.calls[0].key");
}
