#include "sim/components/cache/cache_replication.hpp"

#include <algorithm>

namespace archlab {

NodeCounts node_counts(std::optional<int> nodes, std::optional<int> replicas)
{
  NodeCounts counts;
  if (replicas)
    counts.replicas = *replicas;
  else if (nodes)
    counts.replicas = std::clamp(*nodes - 1, 0, max_replicas);
  counts.billed_nodes = nodes ? *nodes : 1 + counts.replicas;
  return counts;
}

const char* node_state_name(NodeState state)
{
  switch (state) {
  case NodeState::serving: return "serving";
  case NodeState::down: return "down";
  case NodeState::failing_over: return "failing over";
  case NodeState::rebuilding: return "rebuilding";
  }
  return "serving";
}

NodeState after_primary_failure(bool multi_az, int replicas_in_service)
{
  return multi_az && replicas_in_service > 0 ? NodeState::failing_over : NodeState::down;
}

bool is_lost_in_failover(double write_s, double failure_s, double lag_s) { return write_s <= failure_s && write_s + lag_s > failure_s; }

std::size_t writes_lost_in_failover(const std::vector<double>& write_times_s, double failure_s, double lag_s)
{
  return static_cast<std::size_t>(
      std::count_if(write_times_s.begin(), write_times_s.end(), [&](double write_s) { return is_lost_in_failover(write_s, failure_s, lag_s); }));
}

NodeAdmission node_admission(NodeState state, bool is_write)
{
  switch (state) {
  case NodeState::serving: return NodeAdmission::serve;
  case NodeState::down:
  case NodeState::failing_over: return NodeAdmission::refuse;
  case NodeState::rebuilding: return is_write ? NodeAdmission::reject : NodeAdmission::miss;
  }
  return NodeAdmission::serve;
}

double transfer_s(double size_bytes, double gbps) { return size_bytes > 0 && gbps > 0 ? size_bytes * 8 / (gbps * 1e9) : 0.0; }

std::optional<double> burst_network_gbps(std::string_view node_type)
{
  if (node_type == "cache.t3.micro" || node_type == "cache.t4g.micro")
    return 5.0;
  if (node_type == "cache.m5.large")
    return 10.0;
  return std::nullopt;
}

}  // namespace archlab
