#include "sim/components/table/table_capacity.hpp"

#include <catch2/catch.hpp>

#include <cmath>

using namespace archlab;

TEST_CASE("DynamoDB units: reads per 4 KB (half when eventually consistent), writes per 1 KB, rounded up", "[table]")
{
  CHECK(read_units(1024, false) == 0.5);
  CHECK(read_units(4096, true) == 1);
  CHECK(read_units(4097, true) == 2);
  CHECK(read_units(10 * 1024, false) == 1.5);
  CHECK(write_units(1024) == 1);
  CHECK(write_units(1025) == 2);
  CHECK(write_units(3.5 * 1024) == 4);
  CHECK(write_units(100) == 1);
}

TEST_CASE("DynamoDB units per operation: query and scan sum their items before rounding", "[table]")
{
  UnitRules rules{.item_size_bytes = 1024, .is_consistent_read = true, .query_items = 3, .item_count = 100};
  CHECK(units_for(TableOperation::get, rules) == 1);
  CHECK(units_for(TableOperation::query, rules) == 1);   // 3 KB: one 4 KB unit
  CHECK(units_for(TableOperation::scan, rules) == 25);   // the whole table, 100 KB, in one page
  CHECK(units_for(TableOperation::put, rules) == 1);
  CHECK(units_for(TableOperation::update, rules) == 1);
  rules.item_size_bytes = 100 * 1024;
  CHECK(units_for(TableOperation::scan, rules) == 250);  // a page holds what fits in 1 MB: 10 items
  rules.item_size_bytes = 400 * 1024;
  rules.item_count = 1;
  CHECK(units_for(TableOperation::scan, rules) == 100);
  CHECK(is_read_operation(TableOperation::scan));
  CHECK(is_write_operation(TableOperation::update));
  CHECK_FALSE(is_read_operation(TableOperation::put));
  CHECK_FALSE(is_write_operation(TableOperation::get));
}

TEST_CASE("conformance (DynamoDB Scan: 1 MB a page, every page read units of its own): the pages grow with the table", "[table][conformance]")
{
  UnitRules rules{.item_size_bytes = 1024, .is_consistent_read = false, .query_items = 1, .item_count = 100000};
  auto scan = scan_pages(rules);
  CHECK(scan.pages == 98);              // 1,024 items a page
  CHECK(scan.units_per_page == 128);    // 1 MB / 4 KB, halved: eventually consistent
  CHECK(scan.units_last_page == 84);    // 672 items
  rules.item_count = 1000000;
  CHECK(scan_pages(rules).pages == 977);  // ten times the table, ten times the pages
  rules.item_count = 10;
  CHECK(scan_pages(rules).pages == 1);
  CHECK(scan_pages(rules).units_last_page == 1.5);  // 10 KB: 3 blocks of 4 KB, halved
}

TEST_CASE("DynamoDB provisioned: burst credit of 300 s is spent before throttling starts", "[table]")
{
  TableCapacity table({.mode = CapacityMode::provisioned, .read_capacity_units = 10, .write_capacity_units = 10, .burst_window_s = 300});
  CHECK(table.burst_credit(true, 0) == 3000);
  // 20 writes of one unit per second against 10 WCU: the credit lasts 3,000 / (20 − 10) = 300 s.
  double first_throttle_s = -1;
  for (int i = 0; i < 20 * 400 && first_throttle_s < 0; ++i) {
    double now_s = i / 20.0;
    if (table.admit(true, 1, false, now_s) != Admission::admitted)
      first_throttle_s = now_s;
  }
  CHECK(first_throttle_s == Approx(300).margin(1));
  // Reads have their own capacity, untouched.
  CHECK(table.admit(false, 1, false, 300) == Admission::admitted);
}

TEST_CASE("DynamoDB provisioned: a burst window of 0 is a plain per-second limit", "[table]")
{
  TableCapacity table({.mode = CapacityMode::provisioned, .read_capacity_units = 5, .write_capacity_units = 5, .burst_window_s = 0});
  int admitted = 0;
  for (int i = 0; i < 10; ++i)
    admitted += table.admit(true, 1, false, 0.01 * i) == Admission::admitted;
  CHECK(admitted == 5);
}

TEST_CASE("DynamoDB on-demand: a new table takes 4,000 WRU and 12,000 RRU in one second", "[table]")
{
  TableCapacity table({.mode = CapacityMode::on_demand});
  int writes = 0, reads = 0;
  for (int i = 0; i < 5000; ++i) {
    writes += table.admit(true, 1, false, 0.5) == Admission::admitted;
    reads += table.admit(false, 3, false, 0.5) == Admission::admitted;
  }
  CHECK(writes == 4000);
  CHECK(reads == 4000);  // 12,000 RRU at 3 units each
  CHECK(table.admit(true, 1, false, 1.0) == Admission::admitted);  // a new second
}

TEST_CASE("DynamoDB on-demand: up to 2 x the previous peak, a new peak counts after 30 minutes", "[table]")
{
  OnDemandLimit limit(4000, 1800, 40000);
  CHECK(limit.ceiling_per_s(0) == 4000);
  for (int second = 0; second < 60; ++second)
    CHECK(limit.try_consume(3000, second));
  CHECK(limit.ceiling_per_s(100) == 4000);       // the 3,000 peak has not settled yet
  CHECK(limit.ceiling_per_s(1799.9) == 4000);
  CHECK(limit.ceiling_per_s(1800) == 6000);      // 2 × 3,000 once 30 minutes have passed
  CHECK(limit.try_consume(5900, 1861.5));
  CHECK_FALSE(limit.try_consume(200, 1861.7));   // beyond 2 × the previous peak in this second
  CHECK(limit.previous_peak_per_s(1862) == 3000);
}

TEST_CASE("DynamoDB on-demand: never above the 40,000 units per second table quota", "[table]")
{
  OnDemandLimit limit(4000, 0, 40000);
  for (int second = 0; second < 10; ++second)
    while (limit.try_consume(1000, second)) {
    }
  CHECK(limit.ceiling_per_s(20) == 40000);
}

TEST_CASE("DynamoDB hot key: one partition serves at most 1,000 WCU per second, even with table capacity left", "[table]")
{
  TableCapacity table({.mode = CapacityMode::provisioned, .read_capacity_units = 10000, .write_capacity_units = 10000});
  int hot = 0;
  for (int i = 0; i < 2000; ++i)
    hot += table.admit(true, 1, true, 0.5) == Admission::admitted;
  CHECK(hot == 1000);
  CHECK(table.admit(true, 1, true, 0.5) == Admission::over_partition_ceiling);
  CHECK(table.admit(true, 1, false, 0.5) == Admission::admitted);  // other keys are on other partitions
  int hot_reads = 0;
  for (int i = 0; i < 4000; ++i)
    hot_reads += table.admit(false, 1, true, 0.5) == Admission::admitted;
  CHECK(hot_reads == 3000);
}

TEST_CASE("hot key: a share of the items by key, the same answer for the same key", "[table]")
{
  const std::uint64_t salt = 12345;
  int hot = 0;
  for (std::uint64_t key = 1; key <= 100000; ++key)
    hot += is_on_hot_key(key, salt, 0.3);
  CHECK(hot == Approx(30000).margin(4 * std::sqrt(100000 * 0.3 * 0.7)));  // within 4 sigma of a binomial
  for (std::uint64_t key = 1; key <= 1000; ++key)
    CHECK(is_on_hot_key(key, salt, 0.3) == is_on_hot_key(key, salt, 0.3));
  int moved = 0;  // another table (salt) puts other items under its hot key
  for (std::uint64_t key = 1; key <= 1000; ++key)
    moved += is_on_hot_key(key, salt, 0.3) != is_on_hot_key(key, salt + 1, 0.3);
  CHECK(moved > 200);
  for (std::uint64_t key = 1; key <= 1000; ++key) {
    CHECK_FALSE(is_on_hot_key(key, salt, 0));
    CHECK(is_on_hot_key(key, salt, 1));
  }
}
