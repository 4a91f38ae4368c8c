#include "sim/components/cache/cache.hpp"

#include "sim/core/fault_plan.hpp"
#include "sim/core/key_versions.hpp"
#include "sim/core/slot_pool.hpp"
#include "sim/core/world.hpp"

#include <algorithm>
#include <cstdio>

namespace archlab {

namespace {
constexpr const char* operation_names[] = {"get", "put", "delete"};
constexpr std::uint64_t rebuild_tag = std::uint64_t{1} << 63;  // a rebuild's answer, beside the fills' slots

std::string seconds_text(double seconds)  // 30, 2.5, 0.123: for the event log
{
  char text[32];
  std::snprintf(text, sizeof text, "%.6g", seconds);
  return text;
}
}  // namespace

Cache::Cache(const ComponentSetup& setup)
    : Component(setup, "cache"),
      world_(setup.world),
      store_(setup.params.at("capacity_items").get<std::uint64_t>(), *eviction_from_name(setup.params.at("eviction").get<std::string>())),
      item_size_bytes_(setup.params.at("item_size_bytes").get<std::uint32_t>()),
      node_type_(setup.params.at("node_type").get<std::string>()),
      latency_rng_(setup.world.rng(setup.id + "/latency")),
      eviction_rng_(setup.world.rng(setup.id + "/eviction"))
{
  const auto& params = setup.params;
  auto counts = node_counts_of(params);
  nodes_ = counts.billed_nodes;
  replicas_ = counts.replicas;
  replicas_in_service_ = replicas_;
  multi_az_ = params.at("multi_az").get<bool>();
  failover_s_ = params.at("failover_s").get<double>();
  replication_lag_s_ = params.at("replication_lag_ms").get<double>() / 1000;
  network_gbps_ = params.contains("network_gbps") ? params.at("network_gbps").get<double>() : burst_network_gbps(node_type_).value_or(5.0);
  if (params.contains("ttl_s"))
    ttl_s_ = params.at("ttl_s").get<double>();
  renews_ttl_on_hit_ = params.at("ttl_renewed_on_hit").get<bool>();
  if (params.contains("origin"))
    origin_ = params.at("origin");
  if (params.contains("rebuild")) {
    rebuild_ = params.at("rebuild");
    rebuild_retry_s_ = rebuild_->value("retry_after_s", 10.0);
    rebuild_->erase("retry_after_s");  // the rebuild's own, not its call's
  }
  const auto& latency = setup.params.at("latency_ms");
  for (std::size_t i = 0; i < latency_s_.size(); ++i)
    latency_s_[i] = setup.world.seconds_of(latency.at(operation_names[i]));
}

void Cache::connect(World& world)
{
  if (origin_)
    origin_site_ = &call_sites_.add(world, *origin_, id() + "/origin");
  if (rebuild_)
    rebuild_site_ = &call_sites_.add(world, *rebuild_, id() + "/rebuild");
}

std::optional<std::uint32_t> Cache::size_of(const Call& call) const
{
  const auto* arguments = call.arguments_as<CacheArguments>();  // a get's, a put's or a delete's, all read by this type
  return arguments ? arguments->size_bytes : std::nullopt;
}

std::uint64_t Cache::key_of(const Call& call)
{
  const auto* arguments = call.arguments_as<CacheArguments>();
  return arguments && arguments->key ? *arguments->key : call.request->key;
}

std::optional<Cache::Op> Cache::op_of(Operation operation)
{
  static const Operation operations[] = {Operation::named("get"), Operation::named("put"), Operation::named("delete")};
  for (std::size_t i = 0; i < 3; ++i)
    if (operations[i] == operation)
      return static_cast<Op>(i);
  return std::nullopt;
}

void Cache::accept(const Call& call)
{
  double now_s = clock().now();
  stats_.arrive(call.request->is_measured);
  stats_.busy.add(now_s, 1);
  auto op = op_of(call.operation);
  if (!op) {
    if (!has_logged_bad_operation_)
      world_.log().add(now_s, id(), std::string("a cache cannot take the operation '") + operation_name(call.operation) + "': answered failed (logged once)");
    has_logged_bad_operation_ = true;
    clock().after(0, [this, call, now_s] { answer(call, now_s, Outcome::failed); });
    return;
  }
  ++by_operation_[static_cast<std::size_t>(*op)];
  bool is_write = *op != Op::get;
  switch (node_admission(state_, is_write)) {
  case NodeAdmission::serve: break;
  case NodeAdmission::refuse:  // connection refused: the primary is down or being replaced
    ++refused_;
    writes_refused_ += is_write;
    clock().after(0, [this, call, now_s] { answer(call, now_s, Outcome::failed); });
    return;
  case NodeAdmission::reject:  // up, but out of service while it is rebuilt
    ++writes_refused_;
    answer_after(*op, call, now_s, Outcome::rejected);
    return;
  case NodeAdmission::miss:
    if (call.request->is_measured)
      figures_.miss();
    answer_after(Op::get, call, now_s, Answer(Outcome::ok, Status::miss));
    return;
  }
  switch (*op) {
  case Op::get: get(call, now_s); break;
  case Op::put: put(call, now_s); break;
  case Op::erase: erase(call, now_s); break;
  }
}

void Cache::answer_at(const Call& call, double arrived_s, double at_s, const Answer& answer_to_send)
{
  clock().at(at_s, [this, call, arrived_s, answer_to_send] { answer(call, arrived_s, answer_to_send); });
}

void Cache::answer_after(Op op, const Call& call, double arrived_s, const Answer& answer_to_send)
{
  double took_s = latency_s_[static_cast<std::size_t>(op)].sample(latency_rng_);
  clock().after(took_s, [this, call, arrived_s, answer_to_send] { answer(call, arrived_s, answer_to_send); });
}

// Decided on arrival: the node serves one command at a time, in the order they come.
void Cache::get(const Call& call, double arrived_s)
{
  const Request& request = *call.request;
  std::uint64_t key = key_of(call);
  const CachedCopy* copy = store_.find(key);
  if (copy && is_fresh(*copy, arrived_s)) {
    store_.touch(key);
    double age_s = arrived_s - copy->stored_s;
    if (renews_ttl_on_hit_ && ttl_s_) {  // the same copy, expiring ttl_s from now
      CachedCopy renewed = *copy;
      renewed.expires_s = arrived_s + *ttl_s_;
      store_.store(key, renewed, 0);
      copy = store_.find(key);
    }
    if (request.is_measured)
      figures_.hit(copy->version < key_versions_of(world_).version(key), age_s);
    Answer hit(Outcome::ok, Status::hit);
    hit.age_s = static_cast<float>(age_s);
    auto size = size_of(call);
    if (!size) {
      hit.size_bytes = item_size_bytes_;
      answer_after(Op::get, call, arrived_s, hit);
      return;
    }
    hit.size_bytes = *size;  // looked up, then sent whole once the node's network is free
    double looked_up_s = arrived_s + latency_s_[static_cast<std::size_t>(Op::get)].sample(latency_rng_);
    answer_at(call, arrived_s, link_out_.finish(looked_up_s, transfer_s(*size, network_gbps_)), hit);
    return;
  }
  if (request.is_measured) {
    figures_.miss();
    figures_.expirations += copy != nullptr;
  }
  if (!origin_site_) {
    answer_after(Op::get, call, arrived_s, Answer(Outcome::ok, Status::miss));
    return;
  }
  double took_s = latency_s_[static_cast<std::size_t>(Op::get)].sample(latency_rng_);
  clock().after(took_s, [this, call, arrived_s] { read_through(call, arrived_s); });
}

void Cache::read_through(const Call& call, double arrived_s)
{
  if (state_ != NodeState::serving) {
    answer(call, arrived_s, Outcome::failed);
    return;
  }
  auto slot = take_slot(fills_, free_fills_);
  fills_[slot] = Fill{call, arrived_s, life_, true};
  if (call.request->is_measured)
    ++figures_.origin_requests;
  origin_site_->send(Call{call.request, this, slot, origin_site_->operation()});
}

void Cache::on_answer(const Call& call, const Answer& origin_answer)
{
  if (call.tag & rebuild_tag) {
    on_rebuilt(origin_answer, static_cast<std::uint32_t>(call.tag & 0xFFFFFFFFu));
    return;
  }
  auto slot = static_cast<std::uint32_t>(call.tag);
  Fill fill = fills_[slot];
  fills_[slot].is_in_use = false;
  free_fills_.push_back(slot);
  if (!fill.is_in_use || fill.life != life_)
    return;  // the node died meanwhile and has answered this get already
  const Request& request = *fill.call.request;
  if (origin_answer.outcome != Outcome::ok) {
    if (request.is_measured)
      ++figures_.origin_failures;
    answer(fill.call, fill.arrived_s, Answer(origin_answer.outcome, Status::miss));
    return;
  }
  // The copy is as the origin had it when it answered.
  std::uint64_t key = key_of(fill.call);
  keep(key, key_versions_of(world_).version(key));
  if (request.is_measured)
    figures_.served_from_origin();
  Answer filled(Outcome::ok, Status::miss, origin_answer.item_state);
  auto size = size_of(fill.call);
  filled.size_bytes = size ? *size : item_size_bytes_;
  if (size)
    answer_at(fill.call, fill.arrived_s, link_out_.finish(clock().now(), transfer_s(*size, network_gbps_)), filled);
  else
    answer(fill.call, fill.arrived_s, filled);
}

void Cache::put(const Call& call, double arrived_s)
{
  const auto* arguments = call.arguments_as<PutArguments>();
  std::uint64_t key = key_of(call);
  auto& versions = key_versions_of(world_);
  if (!arguments || !arguments->is_fill)
    versions.write(key);
  remember_write(key, store_.find(key));
  keep(key, versions.version(key));
  if (!arguments || !arguments->size_bytes) {
    answer_after(Op::put, call, arrived_s, Outcome::ok);
    return;
  }
  // The value comes in over the node's network, then the SET is done.
  double received_s = link_in_.finish(arrived_s, transfer_s(*arguments->size_bytes, network_gbps_));
  answer_at(call, arrived_s, received_s + latency_s_[static_cast<std::size_t>(Op::put)].sample(latency_rng_), Outcome::ok);
}

void Cache::erase(const Call& call, double arrived_s)
{
  std::uint64_t key = key_of(call);
  remember_write(key, store_.find(key));
  store_.erase(key);
  answer_after(Op::erase, call, arrived_s, Outcome::ok);
}

void Cache::keep(std::uint64_t key, std::uint64_t version) { restore(key, copy_made(version, clock().now(), ttl_s_)); }

void Cache::restore(std::uint64_t key, const CachedCopy& copy)
{
  double draw = store_.eviction() == Eviction::random ? eviction_rng_.uniform01() : 0.0;
  if (store_.store(key, copy, draw))
    ++figures_.evictions;
}

// Kept only while a failover could lose it: a write the replicas have received cannot be.
void Cache::remember_write(std::uint64_t key, const CachedCopy* previous)
{
  if (!multi_az_ || replicas_ == 0 || replication_lag_s_ <= 0)
    return;
  double now_s = clock().now();
  while (!recent_writes_.empty() && !is_lost_in_failover(recent_writes_.front().at_s, now_s, replication_lag_s_))
    recent_writes_.pop_front();
  recent_writes_.push_back({now_s, key, previous ? std::optional<CachedCopy>(*previous) : std::nullopt});
}

// The promoted replica never saw the last writes: each is undone, the newest first, so that a key
// written twice goes back to what it held before both.
std::size_t Cache::undo_unreplicated_writes(double failure_s)
{
  std::size_t lost = 0;
  for (auto write = recent_writes_.rbegin(); write != recent_writes_.rend(); ++write) {
    if (!is_lost_in_failover(write->at_s, failure_s, replication_lag_s_))
      continue;
    ++lost;
    if (write->previous)
      restore(write->key, *write->previous);
    else
      store_.erase(write->key);
  }
  recent_writes_.clear();
  return lost;
}

void Cache::answer(const Call& call, double arrived_s, const Answer& answer_to_send)
{
  double now_s = clock().now();
  bool is_measured = call.request->is_measured;
  stats_.busy.add(now_s, -1);
  stats_.finish(now_s - arrived_s, answer_to_send.outcome == Outcome::ok, is_measured);
  call.caller->on_answer(call, answer_to_send);
}

// The primary dies: a replica takes over (Multi-AZ), or the node loses what it held and the gets it
// was reading through, and restarts empty when it recovers (then is rebuilt, with a rebuild source).
void Cache::apply_fault(const FaultEvent& fault, World& world)
{
  if (fault.action == "kill")
    primary_fails(world);
  else if (fault.action == "recover")
    restart(world);
  else
    Component::apply_fault(fault, world);
}

void Cache::fail_fills_in_flight()
{
  for (auto& fill : fills_)
    if (fill.is_in_use && fill.life != life_) {
      Call call = fill.call;
      double arrived_s = fill.arrived_s;
      fill.life = 0;  // the origin's late answer finds it forgotten
      clock().after(0, [this, call, arrived_s] { answer(call, arrived_s, Outcome::failed); });
    }
}

void Cache::primary_fails(World& world)
{
  if (state_ == NodeState::down || state_ == NodeState::failing_over)
    return;
  double now_s = clock().now();
  bool was_rebuilding = state_ == NodeState::rebuilding;
  if (was_rebuilding)
    rebuild_total_s_ += now_s - state_since_s_;  // abandoned: it starts again at the next restart
  ++life_;
  if (!was_rebuilding && after_primary_failure(multi_az_, replicas_in_service_) == NodeState::failing_over) {
    --replicas_in_service_;
    std::size_t lost = undo_unreplicated_writes(now_s);
    writes_lost_ += lost;
    ++failovers_;
    state_ = NodeState::failing_over;
    state_since_s_ = now_s;
    world.log().add(now_s, id(), "primary down: a replica is promoted in " + seconds_text(failover_s_) + " s, calls refused meanwhile; " +
                                     std::to_string(lost) + " writes not yet replicated lost, " + std::to_string(store_.size()) + " items kept");
    fail_fills_in_flight();
    std::uint32_t life = life_;
    clock().after(failover_s_, [this, life] { promote(life); });
    return;
  }
  state_ = NodeState::down;
  state_since_s_ = now_s;
  items_lost_ += store_.size();
  if (rebuild_ && !was_rebuilding)
    keys_to_rebuild_ = store_.keys_oldest_first();
  world.log().add(now_s, id(), "node down: " + std::to_string(store_.size()) + " items lost, calls refused");
  store_.clear();
  recent_writes_.clear();
  fail_fills_in_flight();
}

void Cache::promote(std::uint32_t life)
{
  if (life != life_ || state_ != NodeState::failing_over)
    return;
  double now_s = clock().now();
  failover_total_s_ += now_s - state_since_s_;
  state_ = NodeState::serving;
  state_since_s_ = now_s;
  world_.log().add(now_s, id(), "replica promoted to primary: serving " + std::to_string(store_.size()) + " items (" +
                                    std::to_string(replicas_in_service_) + " replicas left)");
}

void Cache::restart(World& world)
{
  double now_s = clock().now();
  if (state_ != NodeState::down) {
    // The node lost in a failover is replaced, and joins again as a replica.
    if (replicas_in_service_ < replicas_) {
      ++replicas_in_service_;
      world.log().add(now_s, id(), "failed node replaced: a replica again (" + std::to_string(replicas_in_service_) + " in service)");
    }
    return;
  }
  state_since_s_ = now_s;
  if (!rebuild_site_) {
    state_ = NodeState::serving;
    world.log().add(now_s, id(), "node restarted, empty");
    return;
  }
  state_ = NodeState::rebuilding;
  world.log().add(now_s, id(), "node restarted, empty: rebuilt from " + rebuild_->at("target").get<std::string>() +
                                   ", out of service until it answers (gets miss, writes rejected)");
  start_rebuild(life_);
}

void Cache::start_rebuild(std::uint32_t life)
{
  if (life != life_ || state_ != NodeState::rebuilding)
    return;
  Request& request = rebuild_requests_.emplace_back();
  request.sent_s = clock().now();
  request.is_measured = clock().now() >= world_.model().run.warmup_s;
  rebuild_site_->send(Call{&request, this, rebuild_tag | life, rebuild_site_->operation()});
}

void Cache::on_rebuilt(const Answer& rebuild_answer, std::uint32_t life)
{
  if (life != life_ || state_ != NodeState::rebuilding)
    return;  // the node died again meanwhile
  double now_s = clock().now();
  const auto& source = rebuild_->at("target").get_ref<const std::string&>();
  if (rebuild_answer.outcome != Outcome::ok) {
    ++rebuild_failures_;
    world_.log().add(now_s, id(), "rebuild from " + source + " failed (" + outcome_name(rebuild_answer.outcome) + "): called again in " +
                                      seconds_text(rebuild_retry_s_) + " s");
    clock().after(rebuild_retry_s_, [this, life] { start_rebuild(life); });
    return;
  }
  auto& versions = key_versions_of(world_);
  for (auto key : keys_to_rebuild_)
    keep(key, versions.version(key));  // as the source holds it now
  double took_s = now_s - state_since_s_;
  rebuild_total_s_ += took_s;
  ++rebuilds_;
  state_ = NodeState::serving;
  state_since_s_ = now_s;
  world_.log().add(now_s, id(), "rebuilt from " + source + " in " + seconds_text(took_s) + " s: " +
                                    std::to_string(keys_to_rebuild_.size()) + " keys, serving again");
  keys_to_rebuild_.clear();
}

std::optional<double> Cache::signal(std::string_view name) const
{
  if (name == "items")
    return static_cast<double>(store_.size());
  if (name == "hits")
    return static_cast<double>(figures_.hits);
  if (name == "misses")
    return static_cast<double>(figures_.misses);
  return Component::signal(name);
}

void Cache::add_summary(nlohmann::json& summary, double end_s) const
{
  figures_.add_to(summary);
  nlohmann::json by_operation = nlohmann::json::object();
  for (std::size_t i = 0; i < by_operation_.size(); ++i)
    by_operation[operation_names[i]] = by_operation_[i];
  summary["by_operation"] = by_operation;
  summary["items"] = store_.size();
  summary["capacity_items"] = store_.capacity_items();
  summary["refused_while_down"] = refused_;
  summary["items_lost"] = items_lost_;
  // The figures of replication and rebuilds, only where the model has them (the others' summaries
  // stay as they were).
  auto ongoing_s = [&](NodeState state) { return state_ == state ? std::max(0.0, end_s - state_since_s_) : 0.0; };
  if (has_replication()) {
    summary["replicas"] = replicas_;
    summary["replicas_in_service"] = replicas_in_service_;
    summary["multi_az"] = multi_az_;
    summary["failovers"] = failovers_;
    summary["failover_s"] = failover_total_s_ + ongoing_s(NodeState::failing_over);
    summary["writes_lost"] = writes_lost_;
  }
  if (rebuild_) {
    summary["rebuilds"] = rebuilds_;
    summary["rebuild_failures"] = rebuild_failures_;
    summary["rebuild_s"] = rebuild_total_s_ + ongoing_s(NodeState::rebuilding);
  }
  if (has_replication() || rebuild_) {
    summary["writes_refused"] = writes_refused_;
    summary["state_at_end"] = node_state_name(state_);
  }
}

void Cache::add_billing(std::vector<BillingLine>& billing, double end_s) const
{
  billing.push_back({"elasticache." + node_type_ + ".hour", nodes_ * end_s / 3600});
}

}  // namespace archlab
