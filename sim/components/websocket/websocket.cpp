#include "sim/components/websocket/websocket.hpp"

#include "sim/core/fault_plan.hpp"
#include "sim/core/world.hpp"
#include "sim/report/cost.hpp"

#include <algorithm>
#include <limits>

namespace archlab {

namespace {
void check_websocket(const nlohmann::json& params, const std::string& path, std::vector<Problem>& problems)
{
  if (!params.contains("scaling"))
    return;
  const auto& scaling = params.at("scaling");
  if (scaling.at("max_servers").get<int>() < params.at("instances").get<int>())
    problems.push_back({path + ".scaling.max_servers", "is below instances (" + std::to_string(params.at("instances").get<int>()) +
                                                           "): it would never launch a server"});
}
}  // namespace

ComponentType Websocket::type_description()
{
  std::vector<ParamSpec> scaling_fields = {
      integer_param("max_servers", nullptr, "the most servers it scales out to").at_least(1).at_most(1000).required(),
      number_param("target_connections_per_server", "", 5000,
                   "servers are added while the open connections exceed this many per server (ECS target tracking on a custom "
                   "metric); connections never move: a new server takes new connections only")
          .above(0),
      number_param("launch_time_s", "s", 120, "from the decision to a server taking connections (assumption: an EC2 instance and "
                                              "its container, 2 minutes)")
          .at_least(0),
      number_param("interval_s", "s", 60, "how often the connections are compared with the target (CloudWatch's 1-minute metric)").above(0),
  };
  return {
      .name = "websocket",
      .summary = "servers holding browsers' websocket connections, pushing every published update down each one; send buffers, "
                 "lost messages, coalescing, scaling on connections",
      .aws_counterpart = "a real-time update service in containers on ECS (over EC2 in an Auto Scaling group), e.g. Go with "
                         "gorilla/websocket",
      .part_kind = PartKind::push,
      .params =
          {
              integer_param("instances", 2, "socket servers at the start").at_least(1).at_most(1000),
              integer_param("max_connections_per_server", 10000,
                            "connections one server accepts; beyond, a browser's connect is refused and it tries again (assumption: "
                            "10,000, a file-descriptor and memory budget)")
                  .at_least(1)
                  .at_most(10000000),
              integer_param("vcpus", 2, "CPUs of one server writing messages (t3 and m5.large instances have 2)").at_least(1).at_most(192),
              number_param("write_us_per_message", "µs", 5,
                           "CPU time to write one message to one connection (assumption: 5 µs, a small frame and its system call)")
                  .at_least(0),
              integer_param("send_buffer_messages", 256,
                            "messages a connection can have waiting; a server whose writes lag this far behind closes its connections "
                            "(gorilla/websocket's chat hub: a send channel of 256, and a client with a full one is dropped)")
                  .at_least(1)
                  .at_most(1000000),
              number_param("loss_rate", "", 0,
                           "chance that one message never reaches one connection (the source's \"dropped due to network or other "
                           "errors\": a broken connection re-established unnoticed, a proxy's drop; assumption: 0)")
                  .at_least(0)
                  .at_most(1),
              number_param("coalesce_ms", "ms", 0, "updates published within one window of this length go out together, as one message "
                                                   "per connection, at the window's end (0: each update at once)")
                  .at_least(0)
                  .at_most(60000),
              distribution_param("delivery_ms", "ms", nlohmann::json{{"dist", "lognormal"}, {"mean", 30}, {"cv", 0.5}},
                                 "from the server's write to the browser (assumption: 30 ms over the internet)"),
              integer_param("history_updates", 0, "recent updates each server keeps for browsers catching up after a gap (0: none, "
                                                  "as a plain hub keeps; a resync then fails and the browser downloads the board)")
                  .at_least(0)
                  .at_most(100000000),
              choice_param("instance_type", ec2_instance_types(), "t3.small", "EC2 instance type of one server, for the bill"),
              object_param("scaling", scaling_fields, "scale out on open connections (absent: a fixed number of servers)")
                  .absent_unless_given(),
          },
      .create = [](const ComponentSetup& setup) -> std::unique_ptr<Component> { return std::make_unique<Websocket>(setup); },
      .check = check_websocket,
      .operations = {{.name = "publish",
                      .meaning = "one update (a pixel written), pushed to every open connection (one-way: the publisher goes on at once, "
                                 "as with Redis PUBLISH)",
                      .is_one_way = true,
                      .arguments = {},
                      .read_arguments = {}},
                     {.name = "resync",
                      .meaning = "a browser asks for the updates it missed, from the request's key (the first sequence number it lacks) on: "
                                 "answered after a round trip if the server still holds them (history_updates), failed if not",
                      .is_one_way = false,
                      .arguments = {},
                      .read_arguments = {}}},
      .reference_rules = {},
      .check_with_model = {},
      .fault_actions = {"kill", "recover"},
      .is_managed_multi_zone = false,
      .signals = {{"connections", "connections", SignalKind::gauge, "connections open"},
                  {"messages", "messages", SignalKind::counter, "messages written: updates (or coalesced batches) × connections"},
                  {"servers", "servers", SignalKind::gauge, "servers up"}},
      .callers_default_retry = {},
  };
}

Websocket::Websocket(const ComponentSetup& setup)
    : Component(setup, "websocket"),
      world_(setup.world),
      servers_(static_cast<std::size_t>(setup.params.at("instances").get<int>())),
      max_per_server_(setup.params.at("max_connections_per_server").get<std::size_t>()),
      vcpus_(setup.params.at("vcpus").get<int>()),
      write_s_per_message_(setup.params.at("write_us_per_message").get<double>() / 1e6),
      buffer_messages_(setup.params.at("send_buffer_messages").get<int>()),
      loss_rate_(setup.params.at("loss_rate").get<double>()),
      coalesce_s_(setup.params.at("coalesce_ms").get<double>() / 1000),
      delivery_s_(setup.world.seconds_of(setup.params.at("delivery_ms"))),
      history_updates_(setup.params.at("history_updates").get<std::uint64_t>()),
      instance_type_(setup.params.at("instance_type").get<std::string>()),
      warmup_s_(setup.world.model().run.warmup_s),
      loss_rng_(setup.world.rng(setup.id + "/loss")),
      delivery_rng_(setup.world.rng(setup.id + "/delivery"))
{
  if (setup.params.contains("scaling")) {
    const auto& scaling = setup.params.at("scaling");
    scaling_ = Scaling{scaling.at("max_servers").get<int>(), scaling.at("target_connections_per_server").get<double>(),
                       scaling.at("launch_time_s").get<double>(), scaling.at("interval_s").get<double>()};
  }
}

void Websocket::start(World&)
{
  if (scaling_)
    clock().after(scaling_->interval_s, [this] { scale(); });
}

bool Websocket::is_measuring() const { return clock().now() >= warmup_s_; }

std::size_t Websocket::open_connections() const { return where_.size(); }

std::uint64_t Websocket::key_of(LiveViewer& viewer, std::uint32_t connection)
{
  auto found = std::find(viewers_.begin(), viewers_.end(), &viewer);
  if (found == viewers_.end())
    found = viewers_.insert(viewers_.end(), &viewer);
  return (static_cast<std::uint64_t>(found - viewers_.begin()) << 32) | connection;
}

bool Websocket::open(LiveViewer& viewer, std::uint32_t connection)
{
  std::vector<ServerLoad> loads;
  loads.reserve(servers_.size());
  for (const auto& server : servers_)
    loads.push_back({server.is_up, server.connections.size()});
  auto chosen = server_for_new_connection(loads, max_per_server_);
  if (!chosen) {
    refused_ += is_measuring();
    return false;
  }
  auto key = key_of(viewer, connection);
  if (where_.count(key))
    return true;  // already open
  auto& server = servers_[*chosen];
  where_[key] = {static_cast<std::uint32_t>(*chosen), static_cast<std::uint32_t>(server.connections.size())};
  server.connections.push_back({&viewer, connection});
  opened_ += is_measuring();
  peak_connections_ = std::max(peak_connections_, is_measuring() ? open_connections() : 0);
  return true;
}

void Websocket::close(LiveViewer& viewer, std::uint32_t connection)
{
  auto found = where_.find(key_of(viewer, connection));
  if (found == where_.end())
    return;
  auto [server_index, position] = found->second;
  where_.erase(found);
  auto& held = servers_[server_index].connections;
  if (position + 1 != held.size()) {
    held[position] = held.back();
    where_[key_of(*held[position].viewer, held[position].connection)].second = position;
  }
  held.pop_back();
}

void Websocket::accept(const Call& call)
{
  stats_.arrive(call.request->is_measured);
  if (call.operation == Operation::named("resync")) {
    catch_up(call);
    return;
  }
  if (call.operation != Operation::named("publish")) {
    refuse_operation(call, world_);
    return;
  }
  ++sequence_;
  updates_ += is_measuring();
  double now_s = clock().now();
  if (coalesce_s_ <= 0) {
    send_batch(sequence_, now_s);
    return;
  }
  pending_published_s_ = now_s;
  if (!is_flush_due_) {
    is_flush_due_ = true;
    clock().at(coalesced_send_s(now_s, coalesce_s_), [this] { flush(); });
  }
}

// The updates from the request's key on, if every server still holds them; a round trip either way.
void Websocket::catch_up(const Call& call)
{
  double now_s = clock().now();
  stats_.busy.add(now_s, 1);
  std::uint64_t first_missed = call.request->key;
  bool is_up = std::any_of(servers_.begin(), servers_.end(), [](const Server& server) { return server.is_up; });
  bool is_held = is_up && first_missed > 0 && first_missed + history_updates_ > sequence_;
  resyncs_ += call.request->is_measured;
  resyncs_failed_ += call.request->is_measured && !is_held;
  double round_trip_s = delivery_s_.sample(delivery_rng_) * 2;
  clock().after(round_trip_s, [this, call, is_held, now_s] {
    stats_.busy.add(clock().now(), -1);
    stats_.finish(clock().now() - now_s, is_held, call.request->is_measured);
    call.caller->on_answer(call, is_held ? Answer(Outcome::ok) : Answer(Outcome::failed, Status::not_found));
  });
}

void Websocket::flush()
{
  is_flush_due_ = false;
  send_batch(sequence_, pending_published_s_);
}

// One message to every open connection: each server writes its own, behind what it has queued; the
// connections that lose it are told at its delivery, and every viewer hears of the update once.
void Websocket::send_batch(std::uint64_t sequence, double published_s)
{
  double now_s = clock().now();
  batches_ += is_measuring();
  double told_at_s = now_s;
  for (auto& server : servers_) {
    if (!server.is_up || server.connections.empty())
      continue;
    std::size_t count = server.connections.size();
    if (buffers_full(server.backlog, now_s, count, write_s_per_message_, vcpus_, buffer_messages_)) {
      closed_full_buffers_ += is_measuring() ? count : 0;
      drop_all(server);
      continue;
    }
    if (is_measuring())
      messages_ += count;
    messages_total_ += count;
    double written_s = queue_batch(server.backlog, now_s, count, write_s_per_message_, vcpus_);
    double delivered_s = written_s + delivery_s_.sample(delivery_rng_);
    told_at_s = std::max(told_at_s, delivered_s);
    std::vector<Held> lost;
    for (std::size_t i = connections_before_next_loss(loss_rate_, loss_rng_.uniform01()); i < count;
         i += 1 + connections_before_next_loss(loss_rate_, loss_rng_.uniform01()))
      lost.push_back(server.connections[i]);
    if (lost.empty())
      continue;
    lost_ += is_measuring() ? lost.size() : 0;
    clock().at(delivered_s, [lost = std::move(lost), sequence] {
      for (const auto& held : lost)
        held.viewer->on_missed(held.connection, sequence);
    });
  }
  clock().at(told_at_s, [viewers = viewers_, sequence, published_s] {
    for (auto* viewer : viewers)
      viewer->on_update(sequence, published_s);
  });
}

void Websocket::drop_all(Server& server)
{
  std::vector<Held> held;
  held.swap(server.connections);
  server.backlog = {};
  for (const auto& one : held)
    where_.erase(key_of(*one.viewer, one.connection));
  for (const auto& one : held)
    one.viewer->on_disconnected(one.connection);
}

void Websocket::server_up(std::size_t index)
{
  auto& server = servers_[index];
  if (server.is_up)
    return;
  server.is_up = true;
  server.is_launching = false;
  server.backlog = {};
  server.billed_from_s = clock().now();
}

void Websocket::server_down(std::size_t index)
{
  auto& server = servers_[index];
  if (!server.is_up)
    return;
  closed_by_failure_ += is_measuring() ? server.connections.size() : 0;
  server.is_up = false;
  server.billed_s += clock().now() - server.billed_from_s;
  drop_all(server);
}

void Websocket::apply_fault(const FaultEvent& fault, World& world)
{
  if (fault.action != "kill" && fault.action != "recover") {
    Component::apply_fault(fault, world);
    return;
  }
  for (std::size_t i = 0; i < servers_.size(); ++i) {
    if (fault.instance >= 0 && static_cast<std::size_t>(fault.instance) != i)
      continue;
    if (fault.action == "kill")
      server_down(i);
    else
      server_up(i);
  }
  world.log().add(clock().now(), id(), fault.action + (fault.instance >= 0 ? " server " + std::to_string(fault.instance) : " every server"));
}

void Websocket::scale()
{
  int wanted = servers_wanted(open_connections(), scaling_->target_connections_per_server, 1, scaling_->max_servers);
  int counted = 0;
  for (const auto& server : servers_)
    counted += server.is_up || server.is_launching;
  for (; counted < wanted && static_cast<int>(servers_.size()) < scaling_->max_servers; ++counted) {
    Server launching;
    launching.is_up = false;
    launching.is_launching = true;
    launching.billed_from_s = clock().now();
    servers_.push_back(std::move(launching));
    std::size_t index = servers_.size() - 1;
    clock().after(scaling_->launch_time_s, [this, index] {
      servers_[index].is_launching = false;
      servers_[index].is_up = true;
    });
    world_.log().add(clock().now(), id(), "scale out: server " + std::to_string(index) + " launching");
  }
  clock().after(scaling_->interval_s, [this] { scale(); });
}

void Websocket::add_summary(nlohmann::json& summary, double end_s) const
{
  double measured_s = std::max(end_s - warmup_s_, 1e-9);
  std::size_t up = 0;
  nlohmann::json per_server = nlohmann::json::array();
  for (const auto& server : servers_) {
    up += server.is_up;
    per_server.push_back(server.connections.size());
  }
  summary["updates"] = updates_;
  summary["batches"] = batches_;
  summary["messages"] = messages_;
  summary["messages_per_s"] = static_cast<double>(messages_) / measured_s;
  summary["lost"] = lost_;
  summary["closed_full_buffers"] = closed_full_buffers_;
  summary["closed_by_failure"] = closed_by_failure_;
  summary["refused_connections"] = refused_;
  summary["opened"] = opened_;
  summary["connections"] = open_connections();
  summary["peak_connections"] = peak_connections_;
  summary["connections_per_server"] = per_server;
  summary["servers_up"] = up;
  summary["resyncs"] = resyncs_;
  summary["resyncs_failed"] = resyncs_failed_;
}

void Websocket::add_billing(std::vector<BillingLine>& billing, double end_s) const
{
  double server_s = 0;
  for (const auto& server : servers_)
    server_s += server.billed_s + (server.is_up || server.is_launching ? end_s - server.billed_from_s : 0);
  billing.push_back({"ec2." + instance_type_ + ".hour", server_s / 3600});
}

std::optional<double> Websocket::signal(std::string_view name) const
{
  if (name == "connections")
    return static_cast<double>(open_connections());
  if (name == "messages")
    return static_cast<double>(messages_total_);
  if (name == "servers") {
    double up = 0;
    for (const auto& server : servers_)
      up += server.is_up;
    return up;
  }
  return Component::signal(name);
}

}  // namespace archlab
