// The rules of a cache node's life, one by one: nodes and the bill, what a killed primary becomes,
// which writes a failover loses, what each state answers, big values over the node's network.
#include "sim/components/cache/cache_replication.hpp"
#include "sim/components/cache/cache_store.hpp"

#include <catch2/catch.hpp>

using namespace archlab;

TEST_CASE("cache nodes: replicas and the nodes billed follow from whichever the model gives", "[cache][replication]")
{
  CHECK(node_counts(std::nullopt, std::nullopt).replicas == 0);  // one node, as every model before replicas
  CHECK(node_counts(std::nullopt, std::nullopt).billed_nodes == 1);
  CHECK(node_counts(std::nullopt, 2).billed_nodes == 3);         // the primary and two replicas
  CHECK(node_counts(std::nullopt, 2).replicas == 2);
  CHECK(node_counts(2, std::nullopt).billed_nodes == 2);         // `nodes` alone is billed as given...
  CHECK(node_counts(2, std::nullopt).replicas == 1);             // ...and its nodes beyond the primary are replicas
  CHECK(node_counts(1, std::nullopt).replicas == 0);
  CHECK(node_counts(6, 5).billed_nodes == 6);
}

TEST_CASE("cache nodes: a killed primary fails over only with Multi-AZ and a replica in service", "[cache][replication]")
{
  CHECK(after_primary_failure(true, 1) == NodeState::failing_over);
  CHECK(after_primary_failure(true, 0) == NodeState::down);   // every replica used up
  CHECK(after_primary_failure(false, 2) == NodeState::down);  // replicas, but no automatic failover
  CHECK(std::string(node_state_name(NodeState::rebuilding)) == "rebuilding");
}

TEST_CASE("cache nodes: asynchronous replication loses the writes of the last lag before the failure", "[cache][replication]")
{
  CHECK(is_lost_in_failover(9.99, 10, 0.1));
  CHECK_FALSE(is_lost_in_failover(9.9, 10, 0.1));   // exactly one lag before: it has reached the replica
  CHECK_FALSE(is_lost_in_failover(9.0, 10, 0.1));
  CHECK_FALSE(is_lost_in_failover(10.5, 10, 0.1));  // after the failure: not a write of the old primary
  CHECK(is_lost_in_failover(10, 10, 0.1));          // at the instant of the failure
  CHECK_FALSE(is_lost_in_failover(10, 10, 0));      // no lag, nothing lost
  CHECK(writes_lost_in_failover({9.0, 9.95, 9.5, 9.97, 10.2}, 10, 0.1) == 2);
  CHECK(writes_lost_in_failover({}, 10, 0.1) == 0);
}

TEST_CASE("cache nodes: what each state answers", "[cache][replication]")
{
  CHECK(node_admission(NodeState::serving, true) == NodeAdmission::serve);
  CHECK(node_admission(NodeState::serving, false) == NodeAdmission::serve);
  CHECK(node_admission(NodeState::down, false) == NodeAdmission::refuse);
  CHECK(node_admission(NodeState::failing_over, true) == NodeAdmission::refuse);
  CHECK(node_admission(NodeState::rebuilding, true) == NodeAdmission::reject);  // writes wait for the rebuild
  CHECK(node_admission(NodeState::rebuilding, false) == NodeAdmission::miss);   // the application reads the source
}

TEST_CASE("cache nodes: a big value's transfer time, one at a time over the node's network", "[cache][replication]")
{
  CHECK(transfer_s(500000, 5) == Approx(0.0008));  // the 1000 x 1000 board as a bitfield, at 5 Gbps
  CHECK(transfer_s(500000, 0.064) == Approx(0.0625));  // at a t3.micro's baseline
  CHECK(transfer_s(0, 5) == 0);
  NetworkLink link;
  CHECK(link.finish(1.0, 0.5) == Approx(1.5));
  CHECK(link.finish(1.2, 0.5) == Approx(2.0));  // waits for the first
  CHECK(link.finish(3.0, 0.5) == Approx(3.5));  // the link was free
  CHECK(*burst_network_gbps("cache.t3.micro") == 5);
  CHECK(*burst_network_gbps("cache.m5.large") == 10);
  CHECK_FALSE(burst_network_gbps("cache.r7g.large"));
}

TEST_CASE("cache store: its keys, oldest first, in the order a rebuild restores them", "[cache]")
{
  CacheStore store(3, Eviction::lru);
  for (std::uint64_t key : {5, 6, 7})
    store.store(key, copy_made(0, 0, std::nullopt), 0);
  store.touch(5);
  CHECK(store.keys_oldest_first() == std::vector<std::uint64_t>{6, 7, 5});
  store.clear();
  CHECK(store.keys_oldest_first().empty());
}
