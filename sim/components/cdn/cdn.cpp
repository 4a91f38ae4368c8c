#include "sim/components/cdn/cdn.hpp"

#include "sim/components/cache/cache.hpp"
#include "sim/core/key_versions.hpp"
#include "sim/core/slot_pool.hpp"
#include "sim/core/world.hpp"

namespace archlab {

namespace {
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
}  // namespace

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
  params.push_back(boolean_param("collapse", true, "concurrent misses for one object wait for one origin request (CloudFront does)"));
  params.push_back(boolean_param("stale_if_error", true, "serve an expired copy when the origin fails (CloudFront does, unless stale-if-error=0)"));
  params.push_back(number_param("error_caching_s", "s", 10, "an origin error is remembered this long: requests meanwhile get the stale copy or the error (CloudFront: 10 s)").at_least(0));
  params.push_back(distribution_param("edge_latency_ms", "ms", nlohmann::json{{"dist", "lognormal"}, {"mean", 10}, {"cv", 0.5}},
                                      "viewer to edge and back (assumption: 10 ms); a miss adds the origin request"));
  return {
      .name = "cdn",
      .summary = "a content delivery network in front of an origin: TTLs per request kind, request collapsing, stale if error",
      .aws_counterpart = "Amazon CloudFront distribution",
      .part_kind = PartKind::cdn,
      .params = std::move(params),
      .create = [](const ComponentSetup& setup) -> std::unique_ptr<Component> { return std::make_unique<Cdn>(setup); },
      .check = check_cdn,
      .operations = {plain_request()},
      .reference_rules = {},
      .check_with_model = {},
      .fault_actions = {},
      .is_managed_multi_zone = true,
      .signals = {{"hits", "requests", SignalKind::counter, "requests answered from the edge"},
                  {"origin_requests", "requests", SignalKind::counter, "requests sent to the origin"}},
  };
}

Cdn::Cdn(const ComponentSetup& setup)
    : Component(setup, "cdn"),
      world_(setup.world),
      origin_(setup.params.at("origin")),
      store_(setup.params.at("capacity_items").get<std::uint64_t>(), Eviction::lru),
      is_collapsing_(setup.params.at("collapse").get<bool>()),
      is_stale_if_error_(setup.params.at("stale_if_error").get<bool>()),
      error_caching_s_(setup.params.at("error_caching_s").get<double>()),
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
  const CachedCopy* copy = store_.find(cache_key);
  if (copy && is_fresh(*copy, now_s)) {
    store_.touch(cache_key);
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
    if (auto pending = fill_of_key_.find(cache_key); pending != fill_of_key_.end()) {
      collapsed_ += request.is_measured;
      fills_[pending->second].waiters.push_back({call, now_s});
      return;
    }
  go_to_origin(call, now_s, cache_key, behavior);
}

void Cdn::serve_hit(const Call& call, double arrived_s, const CachedCopy& copy, const Behavior& behavior, bool is_on_error)
{
  const Request& request = *call.request;
  if (request.is_measured && !is_on_error)
    figures_.hit(copy.version < key_versions_of(world_).version(request.key), arrived_s - copy.stored_s);
  if (request.is_measured && is_on_error) {
    ++stale_on_error_;
    figures_.served_age_s.record(arrived_s - copy.stored_s);
  }
  bytes_out_ += behavior.size_bytes;
  Answer hit(Outcome::ok, Status::hit);
  hit.size_bytes = behavior.size_bytes;
  answer_later(call, arrived_s, hit);
}

void Cdn::go_to_origin(const Call& call, double arrived_s, std::uint64_t cache_key, const Behavior& behavior)
{
  auto slot = take_slot(fills_, free_fills_);
  Fill& fill = fills_[slot];
  fill.cache_key = cache_key;
  fill.key = call.request->key;
  fill.behavior = &behavior;
  fill.waiters.assign(1, {call, arrived_s});
  fill.is_collapsing = is_collapsing_;
  if (is_collapsing_)
    fill_of_key_[cache_key] = slot;
  if (call.request->is_measured)
    ++figures_.origin_requests;
  origin_site_->send(Call{call.request, this, slot, origin_site_->operation()});
}

void Cdn::on_answer(const Call& call, const Answer& origin_answer)
{
  auto slot = static_cast<std::uint32_t>(call.tag);
  Fill fill = std::move(fills_[slot]);
  fills_[slot] = Fill{};
  free_fills_.push_back(slot);
  if (fill.is_collapsing)
    fill_of_key_.erase(fill.cache_key);
  double now_s = clock().now();
  const Behavior& behavior = *fill.behavior;
  if (origin_answer.outcome == Outcome::ok) {
    if (behavior.ttl_s > 0)
      store_.store(fill.cache_key, copy_made(key_versions_of(world_).version(fill.key), now_s, behavior.ttl_s), 0);
    for (const auto& waiter : fill.waiters) {
      if (waiter.call.request->is_measured)
        figures_.served_from_origin();
      bytes_out_ += behavior.size_bytes;
      Answer served(Outcome::ok, Status::miss, origin_answer.item_state);
      served.size_bytes = behavior.size_bytes;
      answer_later(waiter.call, waiter.arrived_s, served);
    }
    return;
  }
  for (const auto& waiter : fill.waiters)
    figures_.origin_failures += waiter.call.request->is_measured;
  if (error_caching_s_ > 0)
    error_until_s_[fill.cache_key] = now_s + error_caching_s_;
  const CachedCopy* stale = is_stale_if_error_ ? store_.find(fill.cache_key) : nullptr;
  for (const auto& waiter : fill.waiters)
    if (stale)
      serve_hit(waiter.call, waiter.arrived_s, *stale, behavior, true);
    else
      answer_later(waiter.call, waiter.arrived_s, origin_answer.outcome);
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
  summary["objects"] = store_.size();
  summary["default_ttl_s"] = default_behavior_.ttl_s;
}

void Cdn::add_billing(std::vector<BillingLine>& billing, double) const
{
  billing.push_back({"cloudfront.https.request", static_cast<double>(requests_)});
  billing.push_back({"cloudfront.data_out.gb", bytes_out_ / 1e9});
}

}  // namespace archlab
