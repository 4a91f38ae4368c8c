#include "sim/components/websocket/fan_out.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace archlab {

double coalesced_send_s(double published_s, double window_s)
{
  if (window_s <= 0)
    return published_s;
  double windows = std::floor(published_s / window_s) + 1;  // an update at a window's start waits for its end
  return windows * window_s;
}

std::size_t connections_before_next_loss(double loss_rate, double uniform01)
{
  if (loss_rate <= 0)
    return std::numeric_limits<std::size_t>::max();
  if (loss_rate >= 1)
    return 0;
  double skipped = std::floor(std::log1p(-uniform01) / std::log1p(-loss_rate));
  if (!(skipped < 1e18))
    return std::numeric_limits<std::size_t>::max();
  return static_cast<std::size_t>(skipped);
}

double send_lag_s(const SendBacklog& backlog, double now_s) { return std::max(0.0, backlog.busy_until_s - now_s); }

namespace {
double batch_write_s(std::size_t connections, double write_s_per_message, int vcpus)
{
  return static_cast<double>(connections) * write_s_per_message / std::max(1, vcpus);
}
}  // namespace

double queue_batch(SendBacklog& backlog, double now_s, std::size_t connections, double write_s_per_message, int vcpus)
{
  backlog.busy_until_s = std::max(backlog.busy_until_s, now_s) + batch_write_s(connections, write_s_per_message, vcpus);
  return backlog.busy_until_s;
}

bool buffers_full(const SendBacklog& backlog, double now_s, std::size_t connections, double write_s_per_message, int vcpus,
                  int buffer_messages)
{
  double one_batch_s = batch_write_s(connections, write_s_per_message, vcpus);
  if (one_batch_s <= 0)
    return false;
  return send_lag_s(backlog, now_s) / one_batch_s >= buffer_messages;
}

std::optional<std::size_t> server_for_new_connection(const std::vector<ServerLoad>& servers, std::size_t max_per_server)
{
  std::optional<std::size_t> chosen;
  for (std::size_t i = 0; i < servers.size(); ++i) {
    if (!servers[i].is_up || servers[i].connections >= max_per_server)
      continue;
    if (!chosen || servers[i].connections < servers[*chosen].connections)
      chosen = i;
  }
  return chosen;
}

int servers_wanted(std::size_t connections, double target_per_server, int min_servers, int max_servers)
{
  double wanted = target_per_server > 0 ? std::ceil(static_cast<double>(connections) / target_per_server) : min_servers;
  return static_cast<int>(std::clamp(wanted, static_cast<double>(min_servers), static_cast<double>(max_servers)));
}

}  // namespace archlab
