// The Keyspaces table on the test scheduler: who is answered when, with what, and what is counted.
#include "sim/core/fault_plan.hpp"
#include "sim/core/key_versions.hpp"
#include "sim/core/problems.hpp"
#include "sim/components/wide_column/wide_column_rules.hpp"
#include "sim/testing/test_world.hpp"

#include <catch2/catch.hpp>

using archlab::Operation;
using archlab::Outcome;
using archlab::Status;
using archlab::testing::TestWorld;
using nlohmann::json;

namespace {
json constant_ms(double value)
{
  return {{"dist", "constant"}, {"value", value}};
}

// One wide_column "t" (latencies constant: get 4 ms, put 5 ms, a scan page 1 ms), its parameters
// overridden by `table`, and maybe a client beside it.
json one_table(json table, json others = json::object())
{
  json t = {{"type", "wide_column"},
            {"latency_ms", {{"get", constant_ms(4)}, {"put", constant_ms(5)}, {"scan", constant_ms(1)}}}};
  t.update(table);
  json components = {{"t", t}};
  components.update(others);
  return {{"name", "wide-column-test"}, {"components", components}, {"run", {{"duration_s", 100}, {"seed", 1}}}};
}

// A caller that records every answer, its size too; each request's key is set when sent.
struct Heard {
  std::uint64_t tag;
  double at_s;
  Outcome outcome;
  Status status;
  std::uint32_t size_bytes;
};
class Caller final : public archlab::Caller {
public:
  explicit Caller(archlab::Scheduler& scheduler) : scheduler_(scheduler) {}
  void send(archlab::Endpoint& target, std::uint64_t tag, const char* operation, std::uint64_t key)
  {
    requests_.push_back(std::make_unique<archlab::Request>());
    auto& request = *requests_.back();
    request.id = tag;
    request.key = key;
    request.sent_s = scheduler_.now();
    target.accept(archlab::Call{&request, this, tag, Operation::named(operation), nullptr});
  }
  void on_answer(const archlab::Call& call, const archlab::Answer& answer) override
  {
    answers.push_back({call.tag, scheduler_.now(), answer.outcome, answer.status, answer.size_bytes});
  }
  std::vector<Heard> answers;

private:
  archlab::Scheduler& scheduler_;
  std::vector<std::unique_ptr<archlab::Request>> requests_;
};

json summary_of(TestWorld& test, double end_s = 100)
{
  json summary;
  test.component("t").add_summary(summary, end_s);
  return summary;
}
}  // namespace

TEST_CASE("wide_column: a get finds the rows 1..rows and the rows put since, after its latency; a put makes cached copies stale",
          "[wide_column]")
{
  TestWorld test(one_table({{"rows", 1000}}));
  Caller caller(test.scheduler());
  test.start();
  auto& t = test.component("t");
  caller.send(t, 1, "get", 1000);
  caller.send(t, 2, "get", 1001);
  caller.send(t, 3, "put", 1001);
  test.scheduler().at(0.010, [&] { caller.send(t, 4, "get", 1001); });
  test.run_until(1);
  REQUIRE(caller.answers.size() == 4);
  CHECK(caller.answers[0].tag == 1);
  CHECK(caller.answers[0].at_s == Approx(0.004));
  CHECK(caller.answers[0].status == Status::found);
  CHECK(caller.answers[0].size_bytes == 100);
  CHECK(caller.answers[1].tag == 2);
  CHECK(caller.answers[1].status == Status::not_found);
  CHECK(caller.answers[1].size_bytes == 0);
  CHECK(caller.answers[2].tag == 3);
  CHECK(caller.answers[2].at_s == Approx(0.005));
  CHECK(caller.answers[2].outcome == Outcome::ok);
  CHECK(caller.answers[3].tag == 4);
  CHECK(caller.answers[3].at_s == Approx(0.014));
  CHECK(caller.answers[3].status == Status::found);
  CHECK(archlab::key_versions_of(test.world()).version(1001) == 1);
  json summary = summary_of(test);
  CHECK(summary["reads"] == 3);
  CHECK(summary["writes"] == 1);
  CHECK(summary["rows"] == 1001);
  CHECK(summary["read_units_consumed"] == 3);   // LOCAL_QUORUM, 100 B: 1 each
  CHECK(summary["write_units_consumed"] == 1);
}

TEST_CASE("wide_column: reads and writes beyond provisioned capacity are throttled, each side counted on its own", "[wide_column]")
{
  TestWorld test(one_table({{"capacity_mode", "provisioned"}, {"read_capacity_units", 5}, {"write_capacity_units", 3}, {"burst_window_s", 0}}));
  Caller caller(test.scheduler());
  test.start();
  auto& t = test.component("t");
  for (std::uint64_t i = 1; i <= 10; ++i) {
    caller.send(t, i, "get", i);
    caller.send(t, 100 + i, "put", i);
  }
  test.run_until(1);
  REQUIRE(caller.answers.size() == 20);
  int throttled = 0;
  for (const auto& heard : caller.answers) {
    if (heard.status == Status::throttled) {
      ++throttled;
      CHECK(heard.outcome == Outcome::rejected);
      CHECK(heard.at_s == Approx(heard.tag > 100 ? 0.005 : 0.004));  // refused on arrival, heard after a round trip
    }
  }
  CHECK(throttled == 5 + 7);
  json summary = summary_of(test);
  CHECK(summary["read_throttles"] == 5);
  CHECK(summary["write_throttles"] == 7);
  CHECK(summary["throttled_by_partition"] == 0);
  CHECK(summary["first_throttle_s"] == 0);
  CHECK(t.signal("read_throttles") == 5);
  CHECK(t.signal("write_throttles") == 7);
  std::vector<archlab::BillingLine> billing;
  t.add_billing(billing, 3600);
  REQUIRE(billing.size() == 3);
  CHECK(billing[0].item == "keyspaces.provisioned.rcu_hour");
  CHECK(billing[0].quantity == 5);
  CHECK(billing[1].item == "keyspaces.provisioned.wcu_hour");
  CHECK(billing[1].quantity == 3);
  CHECK(billing[2].item == "keyspaces.storage.gb_month");
  CHECK(billing[2].quantity == Approx(1e8 / (1024.0 * 1024 * 1024) / 730));  // 100 MB for an hour
}

TEST_CASE("conformance (Keyspaces LOCAL_ONE reads cost half a unit): 10 reads a second fit 5 RCU", "[wide_column][conformance]")
{
  TestWorld test(one_table({{"capacity_mode", "provisioned"}, {"read_capacity_units", 5}, {"burst_window_s", 0}, {"consistency", "local_one"}}));
  Caller caller(test.scheduler());
  test.start();
  for (std::uint64_t i = 1; i <= 11; ++i)
    caller.send(test.component("t"), i, "get", i);
  test.run_until(1);
  json summary = summary_of(test);
  CHECK(summary["read_throttles"] == 1);  // the eleventh
  CHECK(summary["read_units_consumed"] == 5);
}

namespace {
// 1,500 puts a second of 1 KB rows for 10 s, spread evenly over keys 1..1000 (one board row), sent
// straight to the table; how many are throttled between 2 s and 10 s (after the first second's credit).
int throttled_puts_after_2_s(json table)
{
  table["row_size_bytes"] = 1024;
  TestWorld test(one_table(table));
  Caller caller(test.scheduler());
  test.start();
  for (std::uint64_t tag = 1; tag <= 15000; ++tag)
    test.scheduler().at(static_cast<double>(tag - 1) / 1500,
                        [&test, &caller, tag] { caller.send(test.component("t"), tag, "put", 1 + (tag - 1) % 1000); });
  test.run_until(11);
  REQUIRE(caller.answers.size() == 15000);
  int throttled = 0;
  for (const auto& heard : caller.answers)
    throttled += heard.status == Status::throttled && heard.tag > 3000;
  return throttled;
}
}  // namespace

TEST_CASE("conformance (Keyspaces: a partition admits 1,000 WCU/s): 1,500 writes/s of 1 KB to one partition throttle ~500/s; "
          "the same writes over one partition per row are not throttled",
          "[wide_column][conformance]")
{
  // On demand, a new table takes 4,000 writes a second: only the partition's ceiling binds.
  int one_partition = throttled_puts_after_2_s({{"rows_per_partition", 1000}});
  CHECK(one_partition == Approx(500 * 8).margin(10));
  int row_partitions = throttled_puts_after_2_s({{"rows_per_partition", 1}});
  CHECK(row_partitions == 0);
}

TEST_CASE("wide_column: a client's hot spot on one board row throttles with a partition per board row, not with a partition per pixel",
          "[wide_column]")
{
  // Zipf keys: the most requested pixels are 1, 2, 3, ..., the first board row's.
  auto run = [](int rows_per_partition) {
    json writers = {{"type", "client"}, {"target", "t"}, {"operation", "put"},
                    {"arrivals", {{"process", "poisson"}, {"rate_per_s", 3000}}},
                    {"keys", {{"dist", "zipf"}, {"alpha", 1.2}, {"count", 1000000}}}};
    TestWorld test(one_table({{"rows_per_partition", rows_per_partition}}, {{"writers", writers}}));
    test.start();
    test.run_until(20);
    return summary_of(test, 20);
  };
  json board_rows = run(1000);
  json pixels = run(1);
  CHECK(board_rows["write_throttles"].get<double>() > 0.2 * board_rows["writes"].get<double>());
  CHECK(board_rows["throttled_by_partition"] == board_rows["write_throttles"]);
  // Zipf(1.2) gives key 1 about 1/ζ(1.2) ≈ 18 % of the writes, about 540 a second: under one partition's 1,000.
  CHECK(pixels["write_throttles"] == 0);
  CHECK(run(1000) == board_rows);  // same seed, same figures
}

namespace {
// A scan of the whole table, sent at time 0; its answer.
Heard scan_of(json table, double run_to_s = 100)
{
  TestWorld test(one_table(std::move(table)));
  Caller caller(test.scheduler());
  test.start();
  caller.send(test.component("t"), 1, "scan", 0);
  test.run_until(run_to_s);
  REQUIRE(caller.answers.size() == 1);
  return caller.answers[0];
}
}  // namespace

TEST_CASE("conformance (Keyspaces provisioned throughput bounds a full read): a scan of 1,000,000 rows of 100 B at 3,000 RCU/s "
          "provisioned takes (24,600 - 3,000) / 3,000 = 7.2 s",
          "[wide_column][conformance]")
{
  // 200 pages of 5,000 rows, 123 RCU each (LOCAL_QUORUM): 24,600 RCU. Without burst credit the bucket
  // starts with one second's 3,000; the rest comes at 3,000 a second; the last page's 1 ms follows.
  auto pages = archlab::table_scan(1e6, 100, 5000, archlab::ReadConsistency::local_quorum);
  double total_units = static_cast<double>(pages.pages - 1) * pages.units_per_page + pages.units_last_page;
  REQUIRE(total_units == 24600);
  json provisioned = {{"capacity_mode", "provisioned"}, {"read_capacity_units", 3000}, {"burst_window_s", 0}};
  Heard scan = scan_of(provisioned);
  CHECK(scan.outcome == Outcome::ok);
  CHECK(scan.at_s == Approx((total_units - 3000) / 3000 + 0.001).epsilon(1e-9));
  CHECK(scan.size_bytes == 100000000);  // the table's data
  // At LOCAL_ONE the same scan costs half: (12,300 - 3,000) / 3,000 = 3.1 s.
  provisioned["consistency"] = "local_one";
  CHECK(scan_of(provisioned).at_s == Approx(9300.0 / 3000 + 0.001).epsilon(1e-9));
  // With 300 s of burst credit (AWS's window, full at the start) nothing waits: 200 pages of 1 ms.
  provisioned.erase("consistency");
  provisioned["burst_window_s"] = 300;
  CHECK(scan_of(provisioned).at_s == Approx(0.2));
}

TEST_CASE("wide_column: a scan on demand reads at most 12,000 RRU a second on a new table, and counts its pages", "[wide_column]")
{
  TestWorld test(one_table(json::object()));
  Caller caller(test.scheduler());
  test.start();
  caller.send(test.component("t"), 1, "scan", 0);
  test.run_until(100);
  REQUIRE(caller.answers.size() == 1);
  // 24,600 RRU at 123 a page: 97 pages in the first second, 97 in the next, the last 6 after 2 s.
  CHECK(caller.answers[0].at_s == Approx(2 + 6 * 0.001));
  json summary = summary_of(test);
  CHECK(summary["scans_completed"] == 1);
  CHECK(summary["scan_pages_read"] == 200);
  CHECK(summary["scan_page_waits"] == 2);
  CHECK(summary["read_units_consumed"] == 24600);
  CHECK(summary["read_throttles"] == 0);  // a scan waits, it is not refused
  CHECK(summary["last_scan_s"].get<double>() == Approx(2.006));
  CHECK(test.component("t").signal("scan_pages") == 200);
  std::vector<archlab::BillingLine> billing;
  test.component("t").add_billing(billing, 100);
  REQUIRE(billing.size() == 3);
  CHECK(billing[0].item == "keyspaces.on_demand.read_unit");
  CHECK(billing[0].quantity == 24600);
  CHECK(billing[1].item == "keyspaces.on_demand.write_unit");
}

TEST_CASE("wide_column: a scan yields to the gets that share its capacity: they are served, the scan ends later by their units",
          "[wide_column]")
{
  TestWorld test(one_table({{"capacity_mode", "provisioned"}, {"read_capacity_units", 3000}, {"burst_window_s", 0}}));
  Caller caller(test.scheduler());
  test.start();
  auto& t = test.component("t");
  caller.send(t, 1, "scan", 0);
  for (std::uint64_t tag = 2; tag <= 101; ++tag)  // 100 gets a second for one second, from 1 s
    test.scheduler().at(1 + static_cast<double>(tag - 2) / 100, [&caller, &t, tag] { caller.send(t, tag, "get", tag); });
  test.run_until(100);
  REQUIRE(caller.answers.size() == 101);
  const Heard& scan = caller.answers.back();
  CHECK(scan.tag == 1);
  // The scan's 24,600 units and the gets' 100 come at 3,000 a second after the first 3,000.
  CHECK(scan.at_s == Approx((24600.0 + 100 - 3000) / 3000 + 0.001).margin(0.002));
  // A get is refused only in the instant after the scan has emptied the bucket.
  CHECK(summary_of(test)["read_throttles"].get<int>() <= 3);
}

TEST_CASE("wide_column: slow multiplies the latency, fail answers failed without using capacity, recover ends both", "[wide_column]")
{
  TestWorld test(one_table(json::object()));
  Caller caller(test.scheduler());
  test.start();
  auto& t = test.component("t");
  auto fault_at = [&](double at_s, archlab::FaultEvent fault) {
    test.scheduler().at(at_s, [&test, &t, fault] { t.apply_fault(fault, test.world()); });
  };
  archlab::FaultEvent slow;
  slow.action = "slow";
  slow.target = "t";
  slow.latency_factor = 3;
  archlab::FaultEvent fail = slow;
  fail.action = "fail";
  fail.failure_probability = 1;
  archlab::FaultEvent recover = slow;
  recover.action = "recover";
  archlab::FaultEvent zone;
  zone.action = "kill";  // a zone outage names no target: Keyspaces spans the Region's zones
  fault_at(0, slow);
  fault_at(1, fail);
  fault_at(2, recover);
  fault_at(3, zone);
  for (std::uint64_t tag = 1; tag <= 4; ++tag)
    test.scheduler().at(static_cast<double>(tag) - 0.5, [&caller, &t, tag] { caller.send(t, tag, tag == 2 ? "put" : "get", 1); });
  test.run_until(5);
  REQUIRE(caller.answers.size() == 4);
  CHECK(caller.answers[0].at_s == Approx(0.512));  // 3 × 4 ms
  CHECK(caller.answers[1].outcome == Outcome::failed);
  CHECK(caller.answers[1].at_s == Approx(1.515));  // still slow: 3 × 5 ms
  CHECK(caller.answers[2].at_s == Approx(2.504));
  CHECK(caller.answers[2].status == Status::found);
  CHECK(caller.answers[3].status == Status::found);
  json summary = summary_of(test);
  CHECK(summary["failed_attempts"] == 1);
  CHECK(summary["write_units_consumed"] == 0);
}

namespace {
std::vector<archlab::Problem> problems_of(json table)
{
  try {
    archlab::model_from_json(one_table(std::move(table)), "m.json");
  } catch (const archlab::InputError& error) {
    return error.problems();
  }
  return {};
}
}  // namespace

TEST_CASE("wide_column: bad parameters are refused with their path", "[wide_column]")
{
  auto one_problem_at = [](json table) {
    auto problems = problems_of(std::move(table));
    REQUIRE(problems.size() == 1);
    return problems[0].path;
  };
  CHECK(one_problem_at({{"consistency", "strong"}}) == "components.t.consistency");
  CHECK(one_problem_at({{"rows_per_partition", 0}}) == "components.t.rows_per_partition");
  CHECK(one_problem_at({{"row_size_bytes", 2 * 1024 * 1024}}) == "components.t.row_size_bytes");
  CHECK(one_problem_at({{"read_capacity_units", 50000}}) == "components.t.read_capacity_units");
  CHECK(one_problem_at({{"rows", 1000000000}, {"row_size_bytes", 1024 * 1024}}) == "components.t.rows");
  CHECK(one_problem_at({{"rows", 1000000000}, {"scan_page_rows", 1}}) == "components.t.scan_page_rows");
  CHECK(one_problem_at({{"rows", -3}}) == "components.t.rows");
  CHECK(problems_of(json::object()).empty());
}
