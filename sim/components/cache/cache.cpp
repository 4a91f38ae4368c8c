#include "sim/components/cache/cache.hpp"

#include "sim/core/fault_plan.hpp"
#include "sim/core/key_versions.hpp"
#include "sim/core/slot_pool.hpp"
#include "sim/core/world.hpp"

namespace archlab {

namespace {
constexpr const char* operation_names[] = {"get", "put", "delete"};

nlohmann::json lognormal_ms(double mean_ms)
{
  return {{"dist", "lognormal"}, {"mean", mean_ms}, {"cv", 0.5}};
}

std::shared_ptr<const CallArguments> read_put_arguments(const nlohmann::json& call)
{
  auto arguments = std::make_shared<PutArguments>();
  arguments->is_fill = call.value("fill", false);
  return arguments;
}

void check_cache(const nlohmann::json& params, const std::string& path, std::vector<Problem>& problems)
{
  if (params.contains("origin"))
    check_call_policy(params.at("origin"), path + ".origin", problems);
}
}  // namespace

ParamSpec origin_param(std::string meaning)
{
  std::vector<ParamSpec> fields = {
      reference_param("target", Interaction::sync_call, "the component a miss is read from").required(),
      operation_param("what a miss asks of the origin (get for a table, request for a service); its arguments go beside it"),
  };
  for (auto& field : call_policy_fields())
    fields.push_back(std::move(field));
  return object_param("origin", std::move(fields), std::move(meaning));
}

ComponentType Cache::type_description()
{
  std::vector<ParamSpec> latency_fields = {
      distribution_param("get", "ms", lognormal_ms(0.5), "GET from inside the VPC (assumption: sub-millisecond)"),
      distribution_param("put", "ms", lognormal_ms(0.5), "SET (assumption: sub-millisecond)"),
      distribution_param("delete", "ms", lognormal_ms(0.5), "DEL (assumption: sub-millisecond)"),
  };
  return {
      .name = "cache",
      .summary = "an in-memory key-value cache: capacity in items, lru/fifo/random eviction, TTL, read-through or cache-aside",
      .aws_counterpart = "Amazon ElastiCache (Redis OSS, Valkey or Memcached) node",
      .part_kind = PartKind::cache,
      .params =
          {
              integer_param("capacity_items", 100000, "items the node holds; a new one beyond evicts one (assumption: what node memory / item size allows)")
                  .at_least(1),
              choice_param("eviction", eviction_names(), "lru",
                           "which item goes when full: lru (Redis allkeys-lru, Memcached), fifo (the oldest stored), random (allkeys-random)"),
              number_param("ttl_s", "s", nullptr, "a copy expires this long after it was stored; a hit does not renew it (absent: never)").above(0),
              integer_param("item_size_bytes", 1024, "size of one item, answered with a get").at_least(0).at_most(512 * 1024 * 1024),
              origin_param("read-through: a get that misses is read from here, under this call policy, and stored").absent_unless_given(),
              object_param("latency_ms", latency_fields, "time to answer each operation"),
              choice_param("node_type", {"cache.t3.micro", "cache.t4g.micro", "cache.m5.large"}, "cache.t3.micro",
                           "node type, for the bill (models/prices/)"),
              integer_param("nodes", 1, "nodes billed: the primary and its replicas (replicas serve nothing here)").at_least(1).at_most(6),
          },
      .create = [](const ComponentSetup& setup) -> std::unique_ptr<Component> { return std::make_unique<Cache>(setup); },
      .check = check_cache,
      .operations = {{.name = "get", .meaning = "GET: answered hit or miss (read through the origin on a miss, if it has one)"},
                     {.name = "put",
                      .meaning = "SET: stores the key; a write, unless `fill`",
                      .arguments = {boolean_param("fill", false, "a copy just read from the origin (cache-aside): stores it without making other copies stale")},
                      .read_arguments = read_put_arguments},
                     {.name = "delete", .meaning = "DEL: drops the key (cache-aside invalidation)"}},
      .reference_rules = {},
      .check_with_model = {},
      .fault_actions = {"kill", "recover"},
      .signals = {{"items", "items", SignalKind::gauge, "items held"},
                  {"hits", "gets", SignalKind::counter, "gets answered from the cache"},
                  {"misses", "gets", SignalKind::counter, "gets that found no fresh copy"}},
  };
}

Cache::Cache(const ComponentSetup& setup)
    : Component(setup, "cache"),
      world_(setup.world),
      store_(setup.params.at("capacity_items").get<std::uint64_t>(), *eviction_from_name(setup.params.at("eviction").get<std::string>())),
      item_size_bytes_(setup.params.at("item_size_bytes").get<std::uint32_t>()),
      node_type_(setup.params.at("node_type").get<std::string>()),
      nodes_(setup.params.at("nodes").get<int>()),
      latency_rng_(setup.world.rng(setup.id + "/latency")),
      eviction_rng_(setup.world.rng(setup.id + "/eviction"))
{
  if (setup.params.contains("ttl_s"))
    ttl_s_ = setup.params.at("ttl_s").get<double>();
  if (setup.params.contains("origin"))
    origin_ = setup.params.at("origin");
  const auto& latency = setup.params.at("latency_ms");
  for (std::size_t i = 0; i < latency_s_.size(); ++i)
    latency_s_[i] = setup.world.seconds_of(latency.at(operation_names[i]));
}

void Cache::connect(World& world)
{
  if (origin_)
    origin_site_ = &call_sites_.add(world, *origin_, id() + "/origin");
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
  if (is_down_) {  // connection refused
    ++refused_;
    clock().after(0, [this, call, now_s] { answer(call, now_s, Outcome::failed); });
    return;
  }
  switch (*op) {
  case Op::get: get(call, now_s); break;
  case Op::put: put(call, now_s); break;
  case Op::erase:
    store_.erase(call.request->key);
    answer_after(Op::erase, call, now_s, Outcome::ok);
    break;
  }
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
  const CachedCopy* copy = store_.find(request.key);
  if (copy && is_fresh(*copy, arrived_s)) {
    store_.touch(request.key);
    if (request.is_measured)
      figures_.hit(copy->version < key_versions_of(world_).version(request.key), arrived_s - copy->stored_s);
    Answer hit(Outcome::ok, Status::hit);
    hit.size_bytes = item_size_bytes_;
    answer_after(Op::get, call, arrived_s, hit);
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
  if (is_down_) {
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
  keep(request.key, key_versions_of(world_).version(request.key));
  if (request.is_measured)
    figures_.served_from_origin();
  Answer filled(Outcome::ok, Status::miss, origin_answer.item_state);
  filled.size_bytes = item_size_bytes_;
  answer(fill.call, fill.arrived_s, filled);
}

void Cache::put(const Call& call, double arrived_s)
{
  const auto* arguments = call.arguments_as<PutArguments>();
  std::uint64_t key = call.request->key;
  auto& versions = key_versions_of(world_);
  if (!arguments || !arguments->is_fill)
    versions.write(key);
  keep(key, versions.version(key));
  answer_after(Op::put, call, arrived_s, Outcome::ok);
}

void Cache::keep(std::uint64_t key, std::uint64_t version)
{
  double draw = store_.eviction() == Eviction::random ? eviction_rng_.uniform01() : 0.0;
  if (store_.store(key, copy_made(version, clock().now(), ttl_s_), draw))
    ++figures_.evictions;
}

void Cache::answer(const Call& call, double arrived_s, const Answer& answer_to_send)
{
  double now_s = clock().now();
  bool is_measured = call.request->is_measured;
  stats_.busy.add(now_s, -1);
  stats_.finish(now_s - arrived_s, answer_to_send.outcome == Outcome::ok, is_measured);
  call.caller->on_answer(call, answer_to_send);
}

// A node that dies loses what it held and the gets it was reading through; it restarts empty.
void Cache::apply_fault(const FaultEvent& fault, World& world)
{
  if (fault.action == "kill") {
    if (is_down_)
      return;
    is_down_ = true;
    ++life_;
    items_lost_ += store_.size();
    world.log().add(clock().now(), id(), "node down: " + std::to_string(store_.size()) + " items lost, calls refused");
    store_.clear();
    for (auto& fill : fills_)
      if (fill.is_in_use && fill.life != life_) {
        Call call = fill.call;
        double arrived_s = fill.arrived_s;
        fill.life = 0;  // the origin's late answer finds it forgotten
        clock().after(0, [this, call, arrived_s] { answer(call, arrived_s, Outcome::failed); });
      }
  } else if (fault.action == "recover") {
    if (!is_down_)
      return;
    is_down_ = false;
    world.log().add(clock().now(), id(), "node restarted, empty");
  } else {
    Component::apply_fault(fault, world);
  }
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

void Cache::add_summary(nlohmann::json& summary, double) const
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
}

void Cache::add_billing(std::vector<BillingLine>& billing, double end_s) const
{
  billing.push_back({"elasticache." + node_type_ + ".hour", nodes_ * end_s / 3600});
}

}  // namespace archlab
