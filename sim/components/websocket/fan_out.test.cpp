// The fan-out's pure decisions: windows, losses, write lag, full buffers, placement, servers wanted.
#include "sim/components/websocket/fan_out.hpp"

#include "sim/core/random.hpp"

#include <catch2/catch.hpp>
#include <limits>

using namespace archlab;

TEST_CASE("coalesced updates go out at the end of their window", "[websocket][fan_out]")
{
  CHECK(coalesced_send_s(0.05, 0.1) == Approx(0.1));
  CHECK(coalesced_send_s(0.1, 0.1) == Approx(0.2));  // a window's start belongs to it, not to the one before
  CHECK(coalesced_send_s(3.99, 0.1) == Approx(4.0));
  CHECK(coalesced_send_s(3.99, 0) == 3.99);
}

TEST_CASE("connections passed over before a loss are geometric with mean (1 - p) / p", "[websocket][fan_out]")
{
  CHECK(connections_before_next_loss(0, 0.5) == std::numeric_limits<std::size_t>::max());
  CHECK(connections_before_next_loss(1, 0.5) == 0);
  auto rng = Rng::for_stream(7, "losses");
  const double p = 0.01;
  const int draws = 200000;
  double sum = 0;
  for (int i = 0; i < draws; ++i)
    sum += static_cast<double>(connections_before_next_loss(p, rng.uniform01()));
  double mean = sum / draws, expected = (1 - p) / p;  // 99; the standard deviation of the mean is 99.5 / sqrt(200,000) = 0.22
  CHECK(mean == Approx(expected).margin(1.0));
}

TEST_CASE("a server writes one message per connection, batches queue behind each other", "[websocket][fan_out]")
{
  SendBacklog backlog;
  // 1,000 connections × 5 µs on 2 CPUs: 2.5 ms a batch.
  CHECK(queue_batch(backlog, 10.0, 1000, 5e-6, 2) == Approx(10.0025));
  CHECK(queue_batch(backlog, 10.001, 1000, 5e-6, 2) == Approx(10.005));  // waits for the first
  CHECK(send_lag_s(backlog, 10.001) == Approx(0.004));
  CHECK(send_lag_s(backlog, 11.0) == 0);
  CHECK(queue_batch(backlog, 11.0, 1000, 5e-6, 2) == Approx(11.0025));  // idle meanwhile: starts now
}

TEST_CASE("buffers are full once the lag holds send_buffer_messages batches", "[websocket][fan_out]")
{
  SendBacklog backlog{1.0 + 256 * 0.0025};
  CHECK(buffers_full(backlog, 1.0, 1000, 5e-6, 2, 256));
  CHECK_FALSE(buffers_full(backlog, 1.0 + 0.0025, 1000, 5e-6, 2, 256));  // one batch written since: 255 waiting
  CHECK_FALSE(buffers_full(backlog, 1.0, 1000, 0, 2, 256));               // writes that cost nothing never lag
}

TEST_CASE("a new connection goes to the least loaded up server with room", "[websocket][fan_out]")
{
  std::vector<ServerLoad> servers = {{true, 5}, {false, 0}, {true, 3}, {true, 3}};
  CHECK(server_for_new_connection(servers, 10) == std::optional<std::size_t>(2));  // the down one is passed over; ties: lowest index
  CHECK(server_for_new_connection(servers, 3) == std::optional<std::size_t>());     // 2 and 3 full, 0 fuller still
  CHECK(server_for_new_connection({}, 10) == std::optional<std::size_t>());
}

TEST_CASE("servers wanted follow the connections, within bounds", "[websocket][fan_out]")
{
  CHECK(servers_wanted(12000, 5000, 1, 10) == 3);
  CHECK(servers_wanted(10000, 5000, 1, 10) == 2);
  CHECK(servers_wanted(0, 5000, 2, 10) == 2);
  CHECK(servers_wanted(1000000, 5000, 1, 10) == 10);
}
