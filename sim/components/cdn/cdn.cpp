#include "sim/components/cdn/cdn.hpp"

#include "sim/components/cache/cache.hpp"
#include "sim/core/fault_plan.hpp"
#include "sim/core/json_io.hpp"
#include "sim/core/key_versions.hpp"
#include "sim/core/number_text.hpp"
#include "sim/core/slot_pool.hpp"
#include "sim/core/world.hpp"

#include <algorithm>

namespace archlab {

namespace {
constexpr std::uint32_t max_edge_locations = 1000;  // CloudFront has some 600 POPs
constexpr double free_invalidation_paths = 1000;    // a month (CloudFront pricing)

std::vector<ParamSpec> behavior_fields(bool is_default)
{
  auto inherit = [&](ParamSpec spec) { return is_default ? spec : spec.with_default(nullptr); };
  return {
      inherit(number_param("min_ttl_s", "s", 0, "the least time an object is kept, whatever the origin says (CloudFront: 0)").at_least(0)),
      inherit(number_param("default_ttl_s", "s", 86400, "kept this long when the origin sends no max-age or s-maxage (CloudFront: 1 day)").at_least(0)),
      inherit(number_param("max_ttl_s", "s", 31536000, "the most time an object is kept (CloudFront: 1 year)").at_least(0)),
      number_param("origin_max_age_s", "s", nullptr, "the max-age the origin's Cache-Control header sends (absent: none)").at_least(0),
      number_param("origin_s_maxage_s", "s", nullptr, "the s-maxage the origin sends; CloudFront prefers it to max-age (absent: none)").at_least(0),
      inherit(integer_param("size_bytes", 10240, "size of one response, for the data out (assumption: 10 KB)").at_least(0).at_most(1e9)),
  };
}

const std::vector<std::string> default_behavior_names = {"min_ttl_s", "default_ttl_s", "max_ttl_s", "size_bytes"};

void check_cdn(const nlohmann::json& params, const std::string& path, std::vector<Problem>& problems)
{
  check_call_policy(params.at("origin"), path + ".origin", problems);
  if (params.contains("ttl_s") && params.contains("default_ttl_s") && params.at("default_ttl_s") != 86400)
    problems.push_back({path + ".ttl_s", "is the shorthand for default_ttl_s: give one of them"});
}

// The invalidations aimed at this distribution: an invalidation is not undone after a while, and it
// clears every edge location, not one instance.
void check_invalidations(const nlohmann::json&, const std::string& path, const nlohmann::json& document, std::vector<Problem>& problems)
{
  if (!document.contains("faults") || !document.at("faults").is_array())
    return;
  const auto& faults = document.at("faults");
  for (std::size_t i = 0; i < faults.size(); ++i) {
    const auto& fault = faults[i];
    if (!fault.is_object() || fault.value("action", "") != "invalidate" || !fault.contains("target") || !fault.at("target").is_string() ||
        join_path("components", fault.at("target").get<std::string>()) != path)
      continue;
    auto fault_path = join_path("faults", i);
    if (fault.contains("for_s"))
      problems.push_back({join_path(fault_path, "for_s"), "an invalidation is not undone: drop for_s (copies come back as viewers ask for them)"});
    if (fault.contains("instance") && fault.at("instance") != -1)
      problems.push_back({join_path(fault_path, "instance"), "an invalidation clears every edge location of the distribution: drop instance"});
  }
}

double ttl_for(const nlohmann::json& fields, const nlohmann::json& defaults)
{
  auto pick = [&](const char* name) { return fields.contains(name) && !fields.at(name).is_null() ? fields.at(name) : defaults.at(name); };
  CdnTtlRules rules{pick("min_ttl_s").get<double>(), pick("default_ttl_s").get<double>(), pick("max_ttl_s").get<double>()};
  OriginCacheHeaders headers;
  if (fields.contains("origin_max_age_s") && !fields.at("origin_max_age_s").is_null())
    headers.max_age_s = fields.at("origin_max_age_s").get<double>();
  if (fields.contains("origin_s_maxage_s") && !fields.at("origin_s_maxage_s").is_null())
    headers.s_maxage_s = fields.at("origin_s_maxage_s").get<double>();
  return cdn_ttl_s(rules, headers);
}

std::uint64_t mix64(std::uint64_t x)  // splitmix64's finaliser
{
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}
}  // namespace

std::uint32_t cdn_edge_location(const Request& request, std::uint32_t edge_locations)
{
  if (edge_locations <= 1)
    return 0;
  // The user, the connection and the id are hashed apart, so that user u and connection u need not meet.
  std::uint64_t viewer = request.user != 0         ? mix64(request.user ^ (0x5EEDull << 32))
                         : request.connection != 0 ? mix64(request.connection ^ 0xC0FFEEull)
                                                   : mix64(request.id);
  return static_cast<std::uint32_t>(viewer % edge_locations);
}

double cdn_billed_invalidation_paths(std::uint64_t paths)
{
  return std::max(0.0, static_cast<double>(paths) - free_invalidation_paths);
}

ComponentType Cdn::type_description()
{
  std::vector<ParamSpec> params = {
      origin_param("the component it fronts: a miss is an origin request, under this call policy (CloudFront: 30 s response timeout)").required(),
      number_param("ttl_s", "s", nullptr, "shorthand for default_ttl_s").at_least(0),
  };
  for (auto& field : behavior_fields(true))
    params.push_back(std::move(field));
  params.push_back(object_map_param("behaviors", behavior_fields(false), "per request kind: its own cache behaviour (others use the fields above)")
                       .absent_unless_given());
  params.push_back(integer_param("capacity_items", 1e9, "objects an edge keeps; beyond, the least recently used goes (assumption: CloudFront evicts rarely requested objects)")
                       .at_least(1));
  params.push_back(integer_param("edge_locations", 1,
                                 "edge locations (POPs) the viewers are spread over, each with its own cache, TTLs and collapsing; a request goes to one "
                                 "by a hash of its user (a client's distinct_users), else its connection, else its id: one viewer keeps one "
                                 "POP, and anonymous requests spread evenly (CloudFront has some 600; at most 1,000)")
                       .at_least(1)
                       .at_most(max_edge_locations));
  params.push_back(boolean_param("origin_shield", false,
                                 "CloudFront Origin Shield: a POP's miss goes to one shared cache (the same TTLs, its own collapsing) before the "
                                 "origin; only its misses reach the origin. Billed per request that goes through it"));
  params.push_back(boolean_param("collapse", true, "concurrent misses for one object wait for one origin request (CloudFront does)"));
  params.push_back(boolean_param("stale_if_error", true, "serve an expired copy when the origin fails (CloudFront does, unless stale-if-error=0)"));
  params.push_back(number_param("error_caching_s", "s", 10, "an origin error is remembered this long: requests meanwhile get the stale copy or the error (CloudFront: 10 s)").at_least(0));
  params.push_back(number_param("invalidation_s", "s", 60,
                                "an invalidation (fault action invalidate; its count is the paths billed) drops every copy this long after it is made "
                                "(assumption: AWS gives no figure; reports range from seconds to a few minutes)")
                       .at_least(0));
  params.push_back(distribution_param("edge_latency_ms", "ms", nlohmann::json{{"dist", "lognormal"}, {"mean", 10}, {"cv", 0.5}},
                                      "viewer to edge and back (assumption: 10 ms); a miss adds the origin request"));
  return {
      .name = "cdn",
      .summary = "a content delivery network in front of an origin: edge locations, an origin shield, TTLs per request kind, request collapsing, "
                 "stale if error, invalidations",
      .aws_counterpart = "Amazon CloudFront distribution",
      .part_kind = PartKind::cdn,
      .params = std::move(params),
      .create = [](const ComponentSetup& setup) -> std::unique_ptr<Component> { return std::make_unique<Cdn>(setup); },
      .check = check_cdn,
      .operations = {plain_request()},
      .reference_rules = {},
      .check_with_model = check_invalidations,
      .fault_actions = {"invalidate"},
      .is_managed_multi_zone = true,
      .signals = {{"hits", "requests", SignalKind::counter, "requests answered from the edge"},
                  {"origin_requests", "requests", SignalKind::counter, "requests sent to the origin"}},
  };
}

Cdn::Cdn(const ComponentSetup& setup)
    : Component(setup, "cdn"),
      world_(setup.world),
      origin_(setup.params.at("origin")),
      is_collapsing_(setup.params.at("collapse").get<bool>()),
      is_stale_if_error_(setup.params.at("stale_if_error").get<bool>()),
      error_caching_s_(setup.params.at("error_caching_s").get<double>()),
      invalidation_s_(setup.params.at("invalidation_s").get<double>()),
      latency_rng_(setup.world.rng(setup.id + "/latency"))
{
  nlohmann::json defaults = setup.params;
  if (setup.params.contains("ttl_s"))
    defaults["default_ttl_s"] = setup.params.at("ttl_s");
  default_behavior_ = {ttl_for(defaults, defaults), defaults.at("size_bytes").get<std::uint32_t>()};
  auto behaviors = setup.params.value("behaviors", nlohmann::json::object());  // items() must not outlive it
  for (const auto& [kind, fields] : behaviors.items()) {
    auto size = fields.contains("size_bytes") && !fields.at("size_bytes").is_null() ? fields.at("size_bytes") : defaults.at("size_bytes");
    behaviors_by_kind_.emplace_back(setup.world.kind_id(kind), Behavior{ttl_for(fields, defaults), size.get<std::uint32_t>()});
  }
  edge_latency_s_ = setup.world.seconds_of(setup.params.at("edge_latency_ms"));
  auto capacity = setup.params.at("capacity_items").get<std::uint64_t>();
  auto edge_locations = setup.params.at("edge_locations").get<std::uint32_t>();
  pops_.reserve(edge_locations);
  for (std::uint32_t i = 0; i < edge_locations; ++i)
    pops_.push_back(Layer{CacheStore(capacity, Eviction::lru), {}});
  if (setup.params.at("origin_shield").get<bool>())
    shield_ = std::make_unique<Layer>(Layer{CacheStore(capacity, Eviction::lru), {}});
}

void Cdn::connect(World& world)
{
  origin_site_ = &call_sites_.add(world, origin_, id() + "/origin");
}

const Cdn::Behavior& Cdn::behavior_for(std::uint16_t kind) const
{
  for (const auto& [behavior_kind, behavior] : behaviors_by_kind_)
    if (behavior_kind == kind)
      return behavior;
  return default_behavior_;
}

void Cdn::accept(const Call& call)
{
  double now_s = clock().now();
  const Request& request = *call.request;
  stats_.arrive(request.is_measured);
  stats_.busy.add(now_s, 1);
  ++requests_;
  const Behavior& behavior = behavior_for(request.kind);
  std::uint64_t cache_key = (request.key << 16) | request.kind;
  std::uint32_t pop = cdn_edge_location(request, static_cast<std::uint32_t>(pops_.size()));
  Layer& edge = pops_[pop];
  const CachedCopy* copy = edge.store.find(cache_key);
  if (copy && is_fresh(*copy, now_s)) {
    edge.store.touch(cache_key);
    serve_hit(call, now_s, *copy, behavior, false);
    return;
  }
  if (request.is_measured) {
    figures_.miss();
    figures_.expirations += copy != nullptr;
  }
  if (auto error = error_until_s_.find(cache_key); error != error_until_s_.end()) {
    if (now_s < error->second) {  // the origin's error, cached
      if (copy && is_stale_if_error_) {
        serve_hit(call, now_s, *copy, behavior, true);
      } else {
        ++errors_from_cache_;
        answer_later(call, now_s, Outcome::failed);
      }
      return;
    }
    error_until_s_.erase(error);
  }
  if (is_collapsing_)
    if (auto pending = edge.fill_of_key.find(cache_key); pending != edge.fill_of_key.end()) {
      collapsed_ += request.is_measured;
      fills_[pending->second].waiters.push_back({call, now_s});
      return;
    }
  auto slot = start_fill(pop, call.request, cache_key, behavior);
  fills_[slot].waiters.assign(1, {call, now_s});
  if (shield_)
    ask_shield(slot);
  else
    send_to_origin(slot);
}

std::uint32_t Cdn::start_fill(std::uint32_t layer_index, Request* request, std::uint64_t cache_key, const Behavior& behavior)
{
  auto slot = take_slot(fills_, free_fills_);
  Fill& fill = fills_[slot];
  fill.cache_key = cache_key;
  fill.key = request->key;
  fill.behavior = &behavior;
  fill.layer = layer_index;
  fill.request = request;
  fill.is_collapsing = is_collapsing_;
  if (is_collapsing_)
    layer(layer_index).fill_of_key[cache_key] = slot;
  return slot;
}

Cdn::Fill Cdn::take_fill(std::uint32_t slot)
{
  Fill fill = std::move(fills_[slot]);
  fills_[slot] = Fill{};
  free_fills_.push_back(slot);
  if (fill.is_collapsing)
    layer(fill.layer).fill_of_key.erase(fill.cache_key);
  return fill;
}

// A POP's miss at the shield: its fresh copy, the shield's fill already in flight, or a fill of its own.
void Cdn::ask_shield(std::uint32_t pop_slot)
{
  double now_s = clock().now();
  const Fill& pop_fill = fills_[pop_slot];
  std::uint64_t cache_key = pop_fill.cache_key;
  bool is_measured = pop_fill.request->is_measured;
  ++shield_requests_;
  const CachedCopy* copy = shield_->store.find(cache_key);
  if (copy && is_fresh(*copy, now_s)) {
    shield_->store.touch(cache_key);
    shield_hits_ += is_measured;
    deliver(take_fill(pop_slot), Delivery{.outcome = Outcome::ok, .item_state = 0, .copy = *copy, .stale = std::nullopt});
    return;
  }
  if (is_collapsing_)
    if (auto pending = shield_->fill_of_key.find(cache_key); pending != shield_->fill_of_key.end()) {
      shield_collapsed_ += is_measured;
      fills_[pending->second].pop_fills.push_back(pop_slot);
      return;
    }
  auto slot = start_fill(shield_layer(), pop_fill.request, cache_key, *pop_fill.behavior);
  fills_[slot].pop_fills.assign(1, pop_slot);
  send_to_origin(slot);
}

void Cdn::send_to_origin(std::uint32_t slot)
{
  Request* request = fills_[slot].request;
  if (request->is_measured)
    ++figures_.origin_requests;
  origin_site_->send(Call{request, this, slot, origin_site_->operation()});
}

void Cdn::on_answer(const Call& call, const Answer& origin_answer)
{
  Fill fill = take_fill(static_cast<std::uint32_t>(call.tag));
  double now_s = clock().now();
  Delivery delivery;
  delivery.outcome = origin_answer.outcome;
  delivery.item_state = origin_answer.item_state;
  if (origin_answer.outcome == Outcome::ok) {
    // The copy is as old as the origin's answer says (a cache in front of the source sends an Age).
    double age_s = std::max(0.0, static_cast<double>(origin_answer.age_s));
    delivery.copy = copy_made(key_versions_of(world_).version(fill.key), now_s - age_s, fill.behavior->ttl_s);
  } else if (error_caching_s_ > 0) {
    error_until_s_[fill.cache_key] = now_s + error_caching_s_;
  }
  if (fill.layer != shield_layer()) {
    deliver(std::move(fill), delivery);
    return;
  }
  if (origin_answer.outcome == Outcome::ok) {
    if (fill.behavior->ttl_s > 0 && is_fresh(delivery.copy, now_s))
      shield_->store.store(fill.cache_key, delivery.copy, 0);
  } else if (is_stale_if_error_) {
    if (const CachedCopy* stale = shield_->store.find(fill.cache_key))
      delivery.stale = *stale;
  }
  for (auto pop_slot : fill.pop_fills)
    deliver(take_fill(pop_slot), delivery);
}

// A POP's fill hears from the shield or the origin: it keeps the copy and answers its viewers.
void Cdn::deliver(Fill fill, const Delivery& delivery)
{
  double now_s = clock().now();
  const Behavior& behavior = *fill.behavior;
  Layer& edge = pops_[fill.layer];
  if (delivery.outcome == Outcome::ok) {
    if (behavior.ttl_s > 0 && is_fresh(delivery.copy, now_s))
      edge.store.store(fill.cache_key, delivery.copy, 0);
    double age_s = now_s - delivery.copy.stored_s;
    for (const auto& waiter : fill.waiters) {
      if (waiter.call.request->is_measured)
        figures_.served_age_s.record(age_s);
      bytes_out_ += behavior.size_bytes;
      Answer served(Outcome::ok, Status::miss, delivery.item_state);
      served.size_bytes = behavior.size_bytes;
      served.age_s = static_cast<float>(age_s);
      answer_later(waiter.call, waiter.arrived_s, served);
    }
    return;
  }
  for (const auto& waiter : fill.waiters)
    figures_.origin_failures += waiter.call.request->is_measured;
  std::optional<CachedCopy> stale;
  if (is_stale_if_error_) {
    if (const CachedCopy* own = edge.store.find(fill.cache_key))
      stale = *own;
    else
      stale = delivery.stale;
  }
  for (const auto& waiter : fill.waiters)
    if (stale)
      serve_hit(waiter.call, waiter.arrived_s, *stale, behavior, true);
    else
      answer_later(waiter.call, waiter.arrived_s, delivery.outcome);
}

void Cdn::serve_hit(const Call& call, double arrived_s, const CachedCopy& copy, const Behavior& behavior, bool is_on_error)
{
  const Request& request = *call.request;
  double age_s = arrived_s - copy.stored_s;
  if (request.is_measured && !is_on_error)
    figures_.hit(copy.version < key_versions_of(world_).version(request.key), age_s);
  if (request.is_measured && is_on_error) {
    ++stale_on_error_;
    figures_.served_age_s.record(age_s);
  }
  bytes_out_ += behavior.size_bytes;
  Answer hit(Outcome::ok, Status::hit);
  hit.size_bytes = behavior.size_bytes;
  hit.age_s = static_cast<float>(age_s);
  answer_later(call, arrived_s, hit);
}

void Cdn::answer_later(const Call& call, double arrived_s, const Answer& answer_to_send)
{
  clock().after(edge_latency_s_.sample(latency_rng_), [this, call, arrived_s, answer_to_send] { answer(call, arrived_s, answer_to_send); });
}

void Cdn::answer(const Call& call, double arrived_s, const Answer& answer_to_send)
{
  double now_s = clock().now();
  stats_.busy.add(now_s, -1);
  stats_.finish(now_s - arrived_s, answer_to_send.outcome == Outcome::ok, call.request->is_measured);
  call.caller->on_answer(call, answer_to_send);
}

void Cdn::apply_fault(const FaultEvent& fault, World& world)
{
  if (fault.action != "invalidate") {
    Component::apply_fault(fault, world);
    return;
  }
  auto paths = static_cast<std::uint64_t>(std::max(1, fault.count));
  ++invalidations_;
  invalidation_paths_ += paths;
  world.log().add(clock().now(), id(), "invalidation of " + std::to_string(paths) + (paths == 1 ? " path" : " paths") + " made: every copy goes in " +
                                           number_text(invalidation_s_) + " s");
  clock().after(invalidation_s_, [this] { invalidate_all(); });
}

// An invalidation completes: no edge location nor the shield holds a copy any more, nor a cached error.
void Cdn::invalidate_all()
{
  std::uint64_t dropped = shield_ ? shield_->store.size() : 0;
  for (auto& edge : pops_) {
    dropped += edge.store.size();
    edge.store.clear();
  }
  if (shield_)
    shield_->store.clear();
  error_until_s_.clear();
  invalidated_objects_ += dropped;
  world_.log().add(clock().now(), id(), "invalidation done: " + std::to_string(dropped) + " cached copies dropped");
}

std::optional<double> Cdn::signal(std::string_view name) const
{
  if (name == "hits")
    return static_cast<double>(figures_.hits);
  if (name == "origin_requests")
    return static_cast<double>(figures_.origin_requests);
  return Component::signal(name);
}

void Cdn::add_summary(nlohmann::json& summary, double) const
{
  figures_.add_to(summary);
  summary["collapsed"] = collapsed_;
  summary["stale_served_on_error"] = stale_on_error_;
  summary["errors_from_cache"] = errors_from_cache_;
  std::size_t objects = 0;
  for (const auto& edge : pops_)
    objects += edge.store.size();
  summary["objects"] = objects;
  summary["default_ttl_s"] = default_behavior_.ttl_s;
  // The figures of the newer features only where they are used: a model without them reads as before.
  if (pops_.size() > 1)
    summary["edge_locations"] = pops_.size();
  if (shield_) {
    summary["shield_hits"] = shield_hits_;
    summary["shield_collapsed"] = shield_collapsed_;
    summary["shield_objects"] = shield_->store.size();
  }
  if (invalidations_ > 0) {
    summary["invalidations"] = invalidations_;
    summary["invalidation_paths"] = invalidation_paths_;
    summary["invalidated_objects"] = invalidated_objects_;
  }
}

void Cdn::add_billing(std::vector<BillingLine>& billing, double) const
{
  billing.push_back({"cloudfront.https.request", static_cast<double>(requests_)});
  billing.push_back({"cloudfront.data_out.gb", bytes_out_ / 1e9});
  if (shield_)
    billing.push_back({"cloudfront.origin_shield.request", static_cast<double>(shield_requests_)});
  if (invalidation_paths_ > 0)
    billing.push_back({"cloudfront.invalidation.path", cdn_billed_invalidation_paths(invalidation_paths_)});
}

}  // namespace archlab
