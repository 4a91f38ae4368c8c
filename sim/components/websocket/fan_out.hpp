// The decisions of a websocket fan-out, as pure functions: when coalesced updates go out, which
// connection loses the next message, how far a server's writes lag behind, when that lag has filled
// every connection's send buffer (the server then closes them, as gorilla/websocket's hub does with a
// client whose send channel is full), which server takes a new connection and how many servers the
// connections call for.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace archlab {

// Updates published at `published_s` go out at the end of their window of `window_s` (windows start
// at 0); a window of 0 sends each update at once.
double coalesced_send_s(double published_s, double window_s);

// Connections passed over before the next one that loses a message, each losing it with probability
// `loss_rate`, from one uniform draw in [0, 1) (the geometric distribution, inverted): a fan-out costs
// one draw per loss instead of one per connection. SIZE_MAX when nothing is ever lost.
std::size_t connections_before_next_loss(double loss_rate, double uniform01);

// A server's writes: each message to each connection takes `write_s_per_message` of one of `vcpus`
// CPUs, and a new batch waits behind those not yet written.
struct SendBacklog {
  double busy_until_s = 0;
};
// How long a batch sent now waits for the writes already queued.
double send_lag_s(const SendBacklog& backlog, double now_s);
// Queues a batch of one message per connection; returns when its last write is done.
double queue_batch(SendBacklog& backlog, double now_s, std::size_t connections, double write_s_per_message, int vcpus);
// Whether a batch sent now finds every connection's send buffer full: the messages waiting per
// connection (the lag over one batch's write time) reach `buffer_messages`.
bool buffers_full(const SendBacklog& backlog, double now_s, std::size_t connections, double write_s_per_message, int vcpus,
                  int buffer_messages);

// The server a new connection goes to: the up one with the fewest connections, below
// `max_per_server` (ties: the lowest index); none when every up server is full.
struct ServerLoad {
  bool is_up = true;
  std::size_t connections = 0;
};
std::optional<std::size_t> server_for_new_connection(const std::vector<ServerLoad>& servers, std::size_t max_per_server);

// Servers wanted for `connections` at `target_per_server` each, within [min_servers, max_servers].
int servers_wanted(std::size_t connections, double target_per_server, int min_servers, int max_servers);

}  // namespace archlab
