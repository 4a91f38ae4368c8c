// Websocket servers: tasks that hold browsers' connections open and push every published update down
// each of them (the pixel board's real-time update service). A `publish` is one update; it goes out
// at once, or at the end of its coalescing window together with the others of that window, as one
// message per connection. Each message to each connection costs its server CPU time: a server that
// cannot write as fast as updates come falls behind, and once the messages waiting fill every
// connection's send buffer it closes them all (gorilla/websocket's hub drops a client whose buffer is
// full). A message can also be lost on the way to one connection (`loss_rate`). A server that dies
// takes its connections with it. What each browser then does (reconnect, download the board, notice
// a gap) is the client's side (core/live_updates.hpp); a browser that saw a gap may ask the servers
// for what it missed (`resync`), which they answer from the recent updates they keep.
#pragma once

#include "sim/components/websocket/fan_out.hpp"
#include "sim/core/component.hpp"
#include "sim/core/distribution.hpp"
#include "sim/core/live_updates.hpp"
#include "sim/core/random.hpp"
#include "sim/core/registry.hpp"

#include <cstdint>
#include <unordered_map>
#include <vector>

namespace archlab {

class Websocket final : public Component, public LiveChannel {
public:
  explicit Websocket(const ComponentSetup& setup);
  static ComponentType type_description();

  void accept(const Call& call) override;
  void start(World& world) override;
  void apply_fault(const FaultEvent& fault, World& world) override;
  void add_summary(nlohmann::json& summary, double end_s) const override;
  void add_billing(std::vector<BillingLine>& billing, double end_s) const override;
  std::optional<double> signal(std::string_view name) const override;

  bool open(LiveViewer& viewer, std::uint32_t connection) override;
  void close(LiveViewer& viewer, std::uint32_t connection) override;

private:
  struct Held {
    LiveViewer* viewer;
    std::uint32_t connection;
  };
  struct Server {
    std::vector<Held> connections;
    SendBacklog backlog;
    bool is_up = true;
    bool is_launching = false;
    double billed_from_s = 0;  // up (or launching) since
    double billed_s = 0;       // up time before that
  };
  struct Scaling {
    int max_servers = 0;
    double target_connections_per_server = 0;
    double launch_time_s = 0;
    double interval_s = 60;
  };

  void send_batch(std::uint64_t sequence, double published_s);
  void flush();
  void catch_up(const Call& call);
  void drop_all(Server& server);
  void scale();
  void server_up(std::size_t index);
  void server_down(std::size_t index);
  std::uint64_t key_of(LiveViewer& viewer, std::uint32_t connection);
  std::size_t open_connections() const;
  bool is_measuring() const;

  World& world_;
  std::vector<Server> servers_;
  std::unordered_map<std::uint64_t, std::pair<std::uint32_t, std::uint32_t>> where_;  // viewer and connection → server, position
  std::vector<LiveViewer*> viewers_;
  std::size_t max_per_server_;
  int vcpus_;
  double write_s_per_message_;
  int buffer_messages_;
  double loss_rate_;
  double coalesce_s_;
  Distribution delivery_s_;
  std::uint64_t history_updates_;
  std::string instance_type_;
  std::optional<Scaling> scaling_;
  double warmup_s_;
  Rng loss_rng_;
  Rng delivery_rng_;

  std::uint64_t sequence_ = 0;  // updates published
  double pending_published_s_ = 0;
  bool is_flush_due_ = false;

  // From the warm-up on:
  std::uint64_t updates_ = 0;
  std::uint64_t batches_ = 0;
  std::uint64_t messages_ = 0;
  std::uint64_t lost_ = 0;
  std::uint64_t closed_full_buffers_ = 0;
  std::uint64_t closed_by_failure_ = 0;
  std::uint64_t refused_ = 0;
  std::uint64_t opened_ = 0;
  std::uint64_t resyncs_ = 0;
  std::uint64_t resyncs_failed_ = 0;
  std::size_t peak_connections_ = 0;
  std::uint64_t messages_total_ = 0;  // from time 0, for the signal
};

}  // namespace archlab
