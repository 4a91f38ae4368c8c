// Keyspaces' capacity rules, pure: units per consistency level, rows in partitions, the partition
// ceilings, the table's capacity on table's machinery, and the scan's pages.
#include "sim/components/wide_column/wide_column_rules.hpp"

#include <catch2/catch.hpp>

#include <cmath>

using namespace archlab;

TEST_CASE("conformance (Keyspaces units: 1 RCU per LOCAL_QUORUM read of up to 4 KB, half at LOCAL_ONE; 1 WCU per 1 KB written): "
          "a 4 KB LOCAL_ONE read costs 0.5 RCU",
          "[wide_column][conformance]")
{
  CHECK(row_read_units(4096, ReadConsistency::local_one) == 0.5);
  CHECK(row_read_units(4096, ReadConsistency::local_quorum) == 1);
  CHECK(row_read_units(100, ReadConsistency::local_quorum) == 1);  // every read is rounded up to 4 KB
  // AWS's example: an 8 KB row takes 2 RCUs at LOCAL_QUORUM, 1 at LOCAL_ONE.
  CHECK(row_read_units(8 * 1024, ReadConsistency::local_quorum) == 2);
  CHECK(row_read_units(8 * 1024, ReadConsistency::local_one) == 1);
  CHECK(row_write_units(100) == 1);
  CHECK(row_write_units(1024) == 1);
  CHECK(row_write_units(2 * 1024) == 2);  // AWS's example: a 2 KB row takes 2 WCUs
  CHECK(row_write_units(2 * 1024 + 1) == 3);
}

TEST_CASE("wide_column: key k's row is in partition (k - 1) / rows_per_partition", "[wide_column]")
{
  CHECK(partition_of(1, 1) == 0);
  CHECK(partition_of(2, 1) == 1);
  CHECK(partition_of(1000000, 1) == 999999);
  CHECK(partition_of(1, 1000) == 0);
  CHECK(partition_of(1000, 1000) == 0);
  CHECK(partition_of(1001, 1000) == 1);
  CHECK(partition_of(0, 1000) == 0);  // no key: as key 1
}

TEST_CASE("conformance (Keyspaces pages: at most 1 MB read a page, at most the driver's page size in rows): a million rows of 100 B",
          "[wide_column][conformance]")
{
  // 5,000 rows a page (the driver's fetch size) are 500,000 B, under 1 MB: 200 pages of 123 RCU.
  auto scan = table_scan(1e6, 100, 5000, ReadConsistency::local_quorum);
  CHECK(scan.pages == 200);
  CHECK(scan.units_per_page == 123);  // ceil(500,000 / 4,096)
  CHECK(scan.units_last_page == 123);
  CHECK(table_scan(1e6, 100, 5000, ReadConsistency::local_one).units_per_page == 61.5);
  // A page size beyond 1 MB is cut at 1 MB read (AWS): 10,485 rows of 100 B.
  auto big = table_scan(1e6, 100, 1e6, ReadConsistency::local_quorum);
  CHECK(big.pages == 96);
  CHECK(big.units_per_page == 256);
  CHECK(big.units_last_page == 96);  // 3,925 rows
  // Rows of 400 KB: two a page.
  CHECK(table_scan(10, 400 * 1024, 5000, ReadConsistency::local_quorum).pages == 5);
}

TEST_CASE("conformance (Keyspaces partitions: each serves at most 1,000 WCU and 3,000 RCU a second, whatever the table has left)",
          "[wide_column][conformance]")
{
  KeyspacesCapacity table({.mode = CapacityMode::provisioned, .read_capacity_units = 40000, .write_capacity_units = 40000});
  int writes = 0;
  for (int i = 0; i < 1500; ++i)
    writes += table.admit(true, 1, 7, 0.5) == Admission::admitted;
  CHECK(writes == 1000);
  CHECK(table.admit(true, 1, 7, 0.5) == Admission::over_partition_ceiling);
  CHECK(table.admit(true, 1, 8, 0.5) == Admission::admitted);  // the next partition has its own
  int reads = 0;
  for (int i = 0; i < 4000; ++i)
    reads += table.admit(false, 1, 7, 0.5) == Admission::admitted;
  CHECK(reads == 3000);  // reads and writes are limited separately
  CHECK(table.admit(true, 1, 7, 1.5) == Admission::admitted);  // a second later the partition has refilled
}

TEST_CASE("wide_column: partition ceilings drop the buckets that are full again, and behave as if kept", "[wide_column]")
{
  PartitionCeilings ceilings;
  for (std::uint64_t partition = 0; partition < 100000; ++partition)
    ceilings.take(true, partition, 1, static_cast<double>(partition) / 1000);  // 1,000 partitions a second, one write each
  CHECK(ceilings.tracked() < 5000);  // a bucket is full again a millisecond after its one write: swept away
  CHECK(ceilings.has(true, 0, 1000, 100));
  ceilings.take(true, 99999, 999, 100);
  CHECK_FALSE(ceilings.has(true, 99999, 2, 100));
  CHECK(ceilings.has(true, 99999, 1, 100));
}

TEST_CASE("wide_column: the table's capacity limits every partition together (provisioned, no burst)", "[wide_column]")
{
  KeyspacesCapacity table({.mode = CapacityMode::provisioned, .read_capacity_units = 10, .write_capacity_units = 10, .burst_window_s = 0});
  int writes = 0;
  for (std::uint64_t partition = 0; partition < 20; ++partition)
    writes += table.admit(true, 1, partition, 0.1) == Admission::admitted;
  CHECK(writes == 10);
  CHECK(table.admit(true, 1, 99, 0.1) == Admission::over_table_capacity);
}

TEST_CASE("conformance (Keyspaces on-demand: a new table sustains 4,000 writes and 12,000 LOCAL_QUORUM reads a second)",
          "[wide_column][conformance]")
{
  KeyspacesCapacity table({.mode = CapacityMode::on_demand});
  int writes = 0, reads = 0;
  for (std::uint64_t i = 0; i < 20000; ++i) {
    writes += table.admit(true, 1, i, 0.5) == Admission::admitted;
    reads += table.admit(false, 1, i, 0.5) == Admission::admitted;
  }
  CHECK(writes == 4000);
  CHECK(reads == 12000);
}

TEST_CASE("wide_column: a scan page waits for the read capacity: when it fits, and a page larger than the bucket taken once it is full",
          "[wide_column]")
{
  KeyspacesCapacity table({.mode = CapacityMode::provisioned, .read_capacity_units = 100, .write_capacity_units = 5, .burst_window_s = 0});
  CHECK(table.page_fits_at_s(60, 0) == 0);
  CHECK(table.take_page(60, 0));
  CHECK_FALSE(table.take_page(60, 0));
  CHECK(table.page_fits_at_s(60, 0) == Approx(0.2));  // 40 left, 20 more at 100 a second
  CHECK(table.take_page(60, 0.2));
  // 250 units never fit a bucket of 100: taken when it is full, leaving it 150 in debt.
  CHECK(table.page_fits_at_s(250, 0.2) == Approx(1.2));
  CHECK_FALSE(table.take_page(250, 1.1));
  CHECK(table.take_page(250, 1.2));
  CHECK(table.page_fits_at_s(1, 1.2) == Approx(1.2 + 1.51));
  KeyspacesCapacity on_demand({.mode = CapacityMode::on_demand});
  for (int page = 0; page < 46; ++page)
    CHECK(on_demand.take_page(256, 0.3));
  CHECK_FALSE(on_demand.take_page(256, 0.3));  // 47 × 256 > 12,000 this second
  CHECK(on_demand.page_fits_at_s(256, 0.3) == 1);  // the next second
}
