// The document database on the test scheduler: who is answered when, with which outcome, as
// connections open and run out, and what repeated writes leave.
#include "sim/components/document_db/document_db.hpp"
#include "sim/core/world.hpp"
#include "sim/jobs/job_ledger.hpp"
#include "sim/testing/test_world.hpp"

#include <catch2/catch.hpp>

using archlab::Operation;
using archlab::Outcome;
using archlab::Status;
using archlab::testing::Probe;
using archlab::testing::TestWorld;
using nlohmann::json;

namespace {
json constant_ms(double ms) { return {{"dist", "constant"}, {"value", ms}}; }

json database(json extra)
{
  json db = {{"type", "document_db"},
             {"max_connections", 2},
             {"connect_ms", constant_ms(30)},
             {"latency_ms", {{"find", constant_ms(2)}, {"insert", constant_ms(4)}, {"upsert", constant_ms(4)}, {"update", constant_ms(4)}}}};
  db.update(extra);
  return {{"name", "document-db-test"}, {"components", {{"db", db}}}, {"run", {{"duration_s", 100}}}};
}

json figures(const archlab::Component& component)
{
  json out = json::object();
  component.add_summary(out, 1);
  return out;
}
}  // namespace

TEST_CASE("document_db: the first call on a connection pays connect_ms, later ones do not; the third caller is refused", "[document_db]")
{
  TestWorld test(database(json::object()));
  Probe probe(test.scheduler());
  test.start();
  auto& db = test.component("db");
  probe.prototype.connection = 101;
  probe.prototype.key = 5;
  probe.send(db, 1, Operation::named("insert"));
  test.run_until(1);
  double t0 = test.scheduler().now();  // the insert's answer: the last event so far
  probe.send(db, 2, Operation::named("find"));
  probe.prototype.connection = 102;
  probe.send(db, 3, Operation::named("find"));
  probe.prototype.connection = 103;
  probe.send(db, 4, Operation::named("find"));
  test.run_until(2);
  REQUIRE(probe.answers.size() == 4);
  CHECK(probe.answers[0].tag == 1);
  CHECK(probe.answers[0].at_s == Approx(0.034));  // 30 ms to connect, 4 ms to insert
  CHECK(probe.answers[1].tag == 2);
  CHECK(t0 == Approx(0.034));
  CHECK(probe.answers[1].at_s == Approx(t0 + 0.002));  // reused
  CHECK(probe.answers[1].status == Status::found);     // key 5, written by the insert
  CHECK(probe.answers[2].tag == 4);
  CHECK(probe.answers[2].outcome == Outcome::failed);  // refused after the handshake: 30 ms
  CHECK(probe.answers[2].at_s == Approx(t0 + 0.030));
  CHECK(probe.answers[3].tag == 3);
  CHECK(probe.answers[3].at_s == Approx(t0 + 0.032));
  auto summary = figures(db);
  CHECK(summary["connections"]["opened"] == 2);
  CHECK(summary["connections"]["refused"] == 1);
  CHECK(summary["connections"]["peak"] == 2);
}

TEST_CASE("document_db: a job's second insert is a second document and its output counts twice; an upsert does not", "[document_db]")
{
  TestWorld test(database({{"max_connections", 10}}));  // each call opens its own
  Probe probe(test.scheduler());
  test.start();
  auto& jobs = archlab::jobs_of(test.world());
  auto first = jobs.create(0, true);
  auto second = jobs.create(0, true);
  auto& db = test.component("db");
  probe.prototype.job = first;
  probe.send(db, 1, Operation::named("insert"));
  probe.send(db, 2, Operation::named("insert"));
  probe.prototype.job = second;
  probe.send(db, 3, Operation::named("upsert"));
  probe.send(db, 4, Operation::named("upsert"));
  test.run_until(1);
  REQUIRE(probe.answers.size() == 4);
  for (const auto& heard : probe.answers)
    CHECK(heard.outcome == Outcome::ok);
  CHECK(jobs.has_duplicate_output(first));
  CHECK(!jobs.has_duplicate_output(second));
  auto summary = figures(db);
  CHECK(summary["documents"] == 3);
  CHECK(summary["keys_with_duplicate_documents"] == 1);
}

TEST_CASE("document_db: with a unique index the second insert fails with a duplicate-key error", "[document_db]")
{
  TestWorld test(database({{"unique_index", true}}));
  Probe probe(test.scheduler());
  test.start();
  auto& db = test.component("db");
  probe.prototype.key = 9;
  probe.send(db, 1, Operation::named("insert"));
  probe.send(db, 2, Operation::named("insert"));
  test.run_until(1);
  REQUIRE(probe.answers.size() == 2);
  CHECK(probe.answers[0].outcome == Outcome::ok);
  CHECK(probe.answers[1].outcome == Outcome::failed);
  CHECK(probe.answers[1].status == Status::condition_failed);
  CHECK(figures(db)["duplicate_key_errors"] == 1);
}
