// The rules of an ElastiCache node's life beside its store, pure so that tests hold them one by one:
// how many nodes a model stands for and bills, what a killed primary becomes (a replica promoted under
// Multi-AZ, or a node down that restarts empty), which writes asynchronous replication loses in a
// failover, what a node answers in each state (serving, down, failing over, being rebuilt), and how
// long a big value takes over the node's network.
//
// AWS (ElastiCache user guide, Replication.Redis.Groups.html, AutoFailover.html): a shard has one
// primary and 0 to 5 read replicas; Multi-AZ needs at least one; replication is asynchronous, so a
// failover can lose the writes the replica had not received yet; the replica with the least lag is
// promoted. A node without a replica that fails comes back empty.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace archlab {

// --- nodes and the bill -----------------------------------------------------------------------------

inline constexpr int max_replicas = 5;  // AWS: up to 5 read replicas per shard

// The nodes a model stands for: `replicas` beside the primary, and the nodes billed. Either may be
// given; absent both, one node. `nodes` alone (the kit's older field, billed as given) counts the
// primary and its replicas, so its replicas are nodes − 1; `replicas` alone bills 1 + replicas. Both
// given must agree (validation says so; here `nodes` wins for the bill).
struct NodeCounts {
  int replicas = 0;
  int billed_nodes = 1;
};
NodeCounts node_counts(std::optional<int> nodes, std::optional<int> replicas);

// --- a primary's failure ------------------------------------------------------------------------------

enum class NodeState : std::uint8_t {
  serving,
  down,          // no replica took over: calls refused until it restarts, empty
  failing_over,  // a replica is being promoted: calls refused until it is
  rebuilding,    // restarted empty, re-populated from its rebuild source: out of service meanwhile
};
const char* node_state_name(NodeState state);

// What the primary's failure leads to: a failover when Multi-AZ is on and a replica is in service
// (AWS promotes one automatically), else the node is down and restarts empty.
NodeState after_primary_failure(bool multi_az, int replicas_in_service);

// Asynchronous replication: a write made at write_s reaches the replica lag_s later, so it is lost
// when the primary fails before that (write_s + lag_s > failure_s). A write exactly lag_s before the
// failure has arrived.
bool is_lost_in_failover(double write_s, double failure_s, double lag_s);
// How many of `write_times_s` (any order) a failover at failure_s loses.
std::size_t writes_lost_in_failover(const std::vector<double>& write_times_s, double failure_s, double lag_s);

// What a node in `state` does with a call: serve it; refuse it (the connection is refused: answered
// failed at once, as a dead node's); answer a get with a miss at once (the node is being rebuilt: the
// application keeps reading from the source); reject a write (the node is up but out of service,
// as Redis answers -LOADING while it loads a dataset).
enum class NodeAdmission : std::uint8_t { serve, refuse, miss, reject };
NodeAdmission node_admission(NodeState state, bool is_write);

// --- big values over the node's network ------------------------------------------------------------

// Seconds to move size_bytes at gbps (10^9 bits a second).
double transfer_s(double size_bytes, double gbps);

// The node's network interface in one direction, first come first served: a transfer ready at
// ready_s starts when the interface is free, and it is free again when the transfer ends.
struct NetworkLink {
  double free_s = 0;
  double finish(double ready_s, double took_s)  // when this transfer ends
  {
    free_s = (ready_s > free_s ? ready_s : free_s) + took_s;
    return free_s;
  }
};

// The "up to" (burst) bandwidth of a node type in Gbps (ElastiCache's supported node types table):
// cache.t3.micro and cache.t4g.micro 5, cache.m5.large 10; nothing for a type it does not know.
// Their baselines are far lower (0.064 and 0.75 Gbps): a node streaming big values for long runs
// out of network credits, which a model shows by setting network_gbps.
std::optional<double> burst_network_gbps(std::string_view node_type);

}  // namespace archlab
