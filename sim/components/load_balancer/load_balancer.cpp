#include "sim/components/load_balancer/load_balancer.hpp"

#include "sim/core/world.hpp"

#include <algorithm>

namespace archlab {

namespace {
void check_load_balancer(const nlohmann::json& params, const std::string& path, std::vector<Problem>& problems)
{
  bool has_routes = params.contains("routes") && !params.at("routes").empty();
  if (params.at("targets").empty() && !has_routes)
    problems.push_back({path + ".targets", "needs at least one target (or routes)"});
  if (has_routes && params.at("kind") == "network")
    problems.push_back({path + ".routes", "a network load balancer routes connections, not requests: listener rules are an ALB's"});
  std::vector<std::string> routed_kinds;
  for (std::size_t i = 0; has_routes && i < params.at("routes").size(); ++i) {
    auto kind = params.at("routes").at(i).at("kind").get<std::string>();
    if (std::find(routed_kinds.begin(), routed_kinds.end(), kind) != routed_kinds.end())
      problems.push_back({path + ".routes[" + std::to_string(i) + "].kind", "'" + kind + "' has a route already: one rule per request kind"});
    routed_kinds.push_back(kind);
  }
  if (params.contains("weights") && params.at("weights").size() != params.at("targets").size())
    problems.push_back({path + ".weights", "needs one weight per target (" + std::to_string(params.at("targets").size()) + ")"});
  auto policy = params.at("policy").get<std::string>();
  if (params.at("kind") == "network" && policy != "round_robin" && policy != "flow_hash")
    problems.push_back({path + ".policy", "a network load balancer routes each connection by its flow hash; it has no '" + policy + "' policy"});
  if (params.at("kind") == "application" && policy == "flow_hash")
    problems.push_back({path + ".policy", "flow_hash is a network load balancer's (kind network); an ALB balances each request"});
  if (params.at("policy") == "weighted" && !params.contains("weights"))
    problems.push_back({path + ".weights", "the weighted policy needs one weight per target"});
  const auto& health = params.at("health_check");
  if (params.at("kind") == "application" && health.value("protocol", nlohmann::json()) == "tcp")
    problems.push_back({path + ".health_check.protocol", "an ALB checks its targets over HTTP or HTTPS; TCP checks are a network load balancer's"});
  if (health.at("timeout_s").get<double>() >= health.at("interval_s").get<double>())
    problems.push_back({path + ".health_check.timeout_s", "must be shorter than interval_s"});
}

HealthAnswer health_answer(const Endpoint& endpoint)
{
  if (const auto* checked = dynamic_cast<const HealthChecked*>(&endpoint))
    return checked->health_answer();
  return endpoint.answers_health_check() ? HealthAnswer::passes : HealthAnswer::refused;
}

// ALB pricing: one LCU is the highest of 25 new connections/s, 3,000 active connections/min,
// 1 GB/h processed and 1,000 rule evaluations/s (fact sheet §7). Requests carry no sizes here and
// one rule is free, so the bill counts new connections, assuming one per request.
constexpr double new_connections_per_lcu_per_s = 25;
// NLB pricing: one NLCU is the highest of 800 new TCP flows/s, 100,000 active flows and 1 GB/h;
// likewise counted as one new flow per request.
constexpr double new_flows_per_nlcu_per_s = 800;
}  // namespace

class LoadBalancer::Registration final : public TargetListener {
public:
  Registration(LoadBalancer& balancer, double weight) : balancer_(balancer), weight_(weight) {}
  void target_registered(Endpoint& target, World& world) override { balancer_.target_registered(target, weight_, world); }
  void target_deregistered(Endpoint& target, World& world) override { balancer_.target_deregistered(target, world); }
  double deregistration_delay_s() const override { return balancer_.deregistration_delay_s_; }

private:
  LoadBalancer& balancer_;
  double weight_;
};

ComponentType LoadBalancer::type_description()
{
  std::vector<ParamSpec> health_fields = {
      boolean_param("enabled", true, "whether targets are checked at all"),
      number_param("interval_s", "s", 30, "time between two checks of one target (ALB default 30 s)").at_least(5).at_most(300),
      number_param("timeout_s", "s", 5, "a check with no answer within this fails (ALB default 5 s)").at_least(2).at_most(120),
      integer_param("healthy_threshold", 5, "consecutive passes to bring a target back (ALB default 5; a new target needs 1)").at_least(2).at_most(10),
      integer_param("unhealthy_threshold", 2, "consecutive failures to take a target out (ALB default 2)").at_least(2).at_most(10),
      choice_param("protocol", {"tcp", "http"}, "http",
                   "tcp: a check passes once the connection is accepted, so a hung process that its kernel still accepts for "
                   "passes; http: the target must answer (absent: tcp for a network load balancer, AWS's default for a TCP target "
                   "group; http for an ALB, the only kind it has)")
          .with_default(nullptr),
  };
  std::vector<ParamSpec> rate_limit_fields = {
      number_param("min_interval_s", "s", nullptr, "a user's request less than this after their last admitted one is refused (the "
                                                  "pixel board's last-write-time check; r/place: 5 minutes)")
          .above(0)
          .required(),
      text_list_param("kinds", "the request kinds it limits (absent: all)"),
  };
  std::vector<ParamSpec> route_fields = {
      text_param("kind", "the request kind this rule matches (its path, e.g. /api/writepixel)").required(),
      reference_param("target", Interaction::sync_call, "where those requests go").required(),
  };
  return {
      .name = "load_balancer",
      .summary = "spreads requests over the instances of its targets; health checks take dead ones out",
      .aws_counterpart = "Application or Network Load Balancer (target group)",
      .part_kind = PartKind::load_balancer,
      .params =
          {
              reference_list_param("targets", Interaction::sync_call,
                                   "components behind it; each instance of a service is one target (a scaled service's instances register and deregister as they come and go)")
                  .required(),
              object_param("rate_limit", rate_limit_fields,
                           "a per-user limit at the front door, before any target is called: a request over it is answered rejected "
                           "at once (429) and goes no further (an application's check of the user's last write, or an AWS WAF "
                           "rate-based rule keyed on the user, whose own windows are 1 to 10 minutes)")
                  .absent_unless_given(),
              object_list_param("routes", route_fields,
                                "listener rules (an ALB's path-based routing): requests of a kind go to that rule's target, a "
                                "function (a Lambda target group, health checks off as AWS has them) or any component; other kinds go "
                                "to targets")
                  .absent_unless_given(),
              choice_param("kind", {"application", "network"}, "application",
                           "application: an ALB, balancing each HTTP request; network: an NLB, routing each TCP connection (flow) to one "
                           "target by its hash"),
              choice_param("policy", balancing_policy_names(), "round_robin",
                           "how the next target is chosen (ALB: round_robin by default; an NLB always uses flow_hash: a request's "
                           "connection, else its key, else the request itself is the flow)"),
              number_list_param("weights", "", "relative weight of each target, for the weighted policy").at_least(0),
              object_param("health_check", health_fields, "target health checks (ALB defaults)"),
              boolean_param("cross_zone", false,
                            "cross-zone load balancing: every zone's node sends to the targets of every zone (absent: on for an "
                            "application load balancer, as AWS always has it; off for a network one, AWS's default, so each zone's node "
                            "sends only to its own zone's targets and a zone with fewer targets loads each of them more)")
                  .with_default(nullptr),
              number_param("deregistration_delay_s", "s", 300,
                           "deregistration_delay.timeout_seconds: a deregistered target (scale-in, a deployment) drains at most this long, "
                           "then it is stopped and the requests it still holds fail (AWS default 300 s, 0 to 3,600)")
                  .at_least(0)
                  .at_most(3600),
          },
      .create = [](const ComponentSetup& setup) -> std::unique_ptr<Component> { return std::make_unique<LoadBalancer>(setup); },
      .check = check_load_balancer,
      .operations = {plain_request()},
      .reference_rules = {},
      .check_with_model = {},
      .fault_actions = {},
  };
}

LoadBalancer::LoadBalancer(const ComponentSetup& setup)
    : Component(setup, "load_balancer"),
      is_network_(setup.params.at("kind") == "network"),
      policy_(is_network_ ? BalancingPolicy::flow_hash : balancing_policy_named(setup.params.at("policy").get<std::string>())),
      deregistration_delay_s_(setup.params.at("deregistration_delay_s").get<double>()),
      target_ids_(setup.params.at("targets").get<std::vector<std::string>>()),
      rng_(setup.world.rng(setup.id + "/balancing")),
      phase_rng_(setup.world.rng(setup.id + "/health_check_phase"))
{
  const auto& health = setup.params.at("health_check");
  bool cross_zone = setup.params.contains("cross_zone") && !setup.params.at("cross_zone").is_null() ? setup.params.at("cross_zone").get<bool>()
                                                                                                    : !is_network_;
  if (setup.params.contains("zones"))
    zones_ = setup.params.at("zones").get<std::vector<std::string>>();
  is_zonal_ = !cross_zone && zones_.size() >= 2;
  auto protocol = health.value("protocol", nlohmann::json());
  health_settings_ = {health.at("enabled").get<bool>(), health.at("interval_s").get<double>(), health.at("timeout_s").get<double>(),
                      health.at("healthy_threshold").get<int>(), health.at("unhealthy_threshold").get<int>(),
                      protocol.is_null() ? is_network_ : protocol == "tcp"};
  if (setup.params.contains("rate_limit")) {
    const auto& rate_limit = setup.params.at("rate_limit");
    per_user_limit_.emplace(rate_limit.at("min_interval_s").get<double>());
    for (const auto& kind : rate_limit.value("kinds", nlohmann::json::array()))
      limited_kinds_.push_back(setup.world.kind_id(kind.get<std::string>()));
  }
  for (const auto& route : setup.params.value("routes", nlohmann::json::array()))
    route_ids_.emplace_back(setup.world.kind_id(route.at("kind").get<std::string>()), route.at("target").get<std::string>());
  weights_by_id_ = setup.params.contains("weights") ? setup.params.at("weights").get<std::vector<double>>()
                                                     : std::vector<double>(target_ids_.size(), 1.0);
}

LoadBalancer::~LoadBalancer() = default;

void LoadBalancer::connect(World& world)
{
  for (const auto& [kind, id] : route_ids_)
    routes_.push_back({kind, &world.component(id)});
  for (std::size_t i = 0; i < target_ids_.size(); ++i) {
    Component& component = world.component(target_ids_[i]);
    for (Endpoint* endpoint : component.endpoints())
      add_target(*endpoint, weights_by_id_[i], false);
    if (auto* source = dynamic_cast<TargetSource*>(&component)) {
      registrations_.push_back(std::make_unique<Registration>(*this, weights_by_id_[i]));
      source->add_target_listener(*registrations_.back());
    }
  }
}

std::size_t LoadBalancer::add_target(Endpoint& endpoint, double weight, bool is_registered_at_run_time)
{
  Target target{.endpoint = &endpoint, .health = {}, .weight = weight};
  if (is_registered_at_run_time && health_settings_.is_enabled)
    target.health = initial_target_health();
  targets_.push_back(target);
  std::size_t index = targets_.size() - 1;
  if (!targets_[index].health.is_initial)
    show(index);
  return index;
}

void LoadBalancer::show(std::size_t target_index)
{
  Target& target = targets_[target_index];
  target.view = static_cast<int>(views_.size());
  auto zone = std::find(zones_.begin(), zones_.end(), target.endpoint->zone_name());
  auto zone_number = static_cast<std::uint16_t>(zone == zones_.end() ? 0 : zone - zones_.begin() + 1);
  views_.push_back({.outstanding = target.outstanding, .is_healthy = target.health.is_healthy, .weight = target.weight, .zone = zone_number});
  view_targets_.push_back(target_index);
}

void LoadBalancer::hide(std::size_t target_index)
{
  Target& target = targets_[target_index];
  if (target.view < 0)
    return;
  auto position = static_cast<std::size_t>(target.view);
  views_.erase(views_.begin() + static_cast<std::ptrdiff_t>(position));
  view_targets_.erase(view_targets_.begin() + static_cast<std::ptrdiff_t>(position));
  for (std::size_t i = position; i < view_targets_.size(); ++i)
    targets_[view_targets_[i]].view = static_cast<int>(i);
  if (memory_.next_turn > position)
    --memory_.next_turn;  // round robin carries on with the same next target
  target.view = -1;
}

void LoadBalancer::target_registered(Endpoint& endpoint, double weight, World& world)
{
  std::size_t index = add_target(endpoint, weight, true);
  world.log().add(clock().now(), id(), "target " + endpoint.endpoint_name() + " registered" +
                                   (health_settings_.is_enabled ? " (initial: takes traffic once a health check passes)" : ""));
  if (health_settings_.is_enabled)
    clock().after(phase_rng_.uniform01() * health_settings_.interval_s, [this, index, &world] { check_health(index, world); });
  else if (auto* checked = dynamic_cast<HealthChecked*>(&endpoint))
    checked->marked_healthy(world);  // unchecked: in rotation at once
}

void LoadBalancer::target_deregistered(Endpoint& endpoint, World& world)
{
  for (std::size_t i = 0; i < targets_.size(); ++i) {
    Target& target = targets_[i];
    if (target.endpoint != &endpoint || !target.is_registered)
      continue;
    target.is_registered = false;
    hide(i);
    world.log().add(clock().now(), id(), "target " + endpoint.endpoint_name() + " deregistered: draining, " + std::to_string(target.outstanding) +
                                     " requests in flight");
    return;
  }
}

void LoadBalancer::start(World& world)
{
  if (!health_settings_.is_enabled)
    return;
  for (std::size_t i = 0; i < targets_.size(); ++i)  // checks of different targets are not in lockstep
    clock().at(phase_rng_.uniform01() * health_settings_.interval_s, [this, i, &world] { check_health(i, world); });
}

void LoadBalancer::check_health(std::size_t target_index, World& world)
{
  if (world.control().is_over() || !targets_[target_index].is_registered)
    return;
  // A dead instance refuses the connection at once and a live one answers well within the timeout;
  // a hung one does not answer, so its check fails only when the timeout runs out.
  switch (health_answer(*targets_[target_index].endpoint)) {
    case HealthAnswer::passes: record_check(target_index, true, world); break;
    case HealthAnswer::refused: record_check(target_index, false, world); break;
    case HealthAnswer::no_answer:  // hung: its kernel still accepts a connection, its process never answers
      if (health_settings_.is_tcp)
        record_check(target_index, true, world);
      else
        clock().after(health_settings_.timeout_s, [this, target_index, &world] { record_check(target_index, false, world); });
      break;
  }
  // Each check is independent: a slow answer does not move the next one.
  clock().after(health_settings_.interval_s, [this, target_index, &world] { check_health(target_index, world); });
}

void LoadBalancer::record_check(std::size_t target_index, bool passed, World& world)
{
  Target& target = targets_[target_index];
  if (world.control().is_over() || !target.is_registered)
    return;
  bool was_initial = target.health.is_initial;
  if (!record_health_check(target.health, passed, health_settings_))
    return;
  if (target.view < 0)
    show(target_index);
  views_[static_cast<std::size_t>(target.view)].is_healthy = target.health.is_healthy;
  if (!target.health.is_healthy)
    ++target.times_marked_unhealthy;
  std::string change = target.health.is_healthy ? (was_initial ? " healthy (takes traffic)" : " healthy again") : " marked unhealthy";
  int in_a_row = passed ? target.health.passes_in_a_row : target.health.failures_in_a_row;
  world.log().add(clock().now(), id(), "target " + target.endpoint->endpoint_name() + change + " after " +
                                   std::to_string(in_a_row) + (passed ? " passed" : " failed") + (in_a_row == 1 ? " check" : " checks"));
  // Last: a group that goes by ELB health checks terminates the target, which deregisters it.
  if (auto* checked = dynamic_cast<HealthChecked*>(target.endpoint); checked && !target.health.is_healthy)
    checked->marked_unhealthy(world);
  else if (checked)
    checked->marked_healthy(world);
}

void LoadBalancer::accept(const Call& call)
{
  double now_s = clock().now();
  stats_.arrive();
  if (is_over_user_limit(*call.request, now_s)) {
    stats_.reject();
    limited_ += call.request->is_measured;
    call.caller->on_answer(call, Answer(Outcome::rejected, Status::throttled));
    return;
  }
  if (Route* route = route_for(call.request->kind)) {
    stats_.busy.add(now_s, 1);
    ++route->requests;
    route->endpoint->accept(Call{call.request, this, take_slot({call, now_s, routed}), call.operation, call.arguments});
    return;
  }
  if (views_.empty()) {  // no target takes traffic: HTTP 503
    stats_.reject();
    call.caller->on_answer(call, Outcome::rejected);
    return;
  }
  stats_.busy.add(now_s, 1);
  const Request& request = *call.request;
  std::uint64_t flow = request.connection ? request.connection : request.key ? request.key : request.id;
  std::size_t view;
  if (is_zonal_) {  // the flow's node first, then a target among that node's
    zonal_candidates(views_, flow, node_targets_);
    node_views_.clear();
    for (auto i : node_targets_)
      node_views_.push_back(views_[i]);
    view = node_targets_[choose_target(policy_, node_views_, memory_, rng_, flow)];
  } else {
    view = choose_target(policy_, views_, memory_, rng_, flow);
  }
  auto chosen = view_targets_[view];
  std::uint32_t slot = take_slot({call, now_s, static_cast<std::uint32_t>(chosen)});
  Target& target = targets_[chosen];
  ++target.outstanding;
  ++views_[static_cast<std::size_t>(target.view)].outstanding;
  ++target.requests;
  target.endpoint->accept(Call{call.request, this, slot, call.operation, call.arguments});
}

std::uint32_t LoadBalancer::take_slot(const Pending& pending)
{
  std::uint32_t slot;
  if (free_pending_.empty()) {
    slot = static_cast<std::uint32_t>(pending_.size());
    pending_.push_back({});
  } else {
    slot = free_pending_.back();
    free_pending_.pop_back();
  }
  pending_[slot] = pending;
  return slot;
}

bool LoadBalancer::is_over_user_limit(const Request& request, double now_s)
{
  if (!per_user_limit_)
    return false;
  if (!limited_kinds_.empty() && std::find(limited_kinds_.begin(), limited_kinds_.end(), request.kind) == limited_kinds_.end())
    return false;
  return !per_user_limit_->admit(request.user, now_s);
}

LoadBalancer::Route* LoadBalancer::route_for(std::uint16_t kind)
{
  for (auto& route : routes_)
    if (route.kind == kind)
      return &route;
  return nullptr;
}

void LoadBalancer::on_answer(const Call& call, const Answer& answer)
{
  Outcome outcome = answer.outcome;
  auto slot = static_cast<std::uint32_t>(call.tag);
  Pending pending = pending_[slot];
  free_pending_.push_back(slot);
  if (pending.target != routed) {
    Target& target = targets_[pending.target];
    --target.outstanding;
    if (target.view >= 0)
      --views_[static_cast<std::size_t>(target.view)].outstanding;
  }
  double now_s = clock().now();
  stats_.busy.add(now_s, -1);
  if (outcome == Outcome::rejected)
    stats_.reject();
  else
    stats_.finish(now_s - pending.arrived_s, outcome == Outcome::ok);
  pending.call.caller->on_answer(pending.call, answer);
}

void LoadBalancer::add_summary(nlohmann::json& summary, double) const
{
  summary["requests"] = stats_.counts().arrivals;
  if (per_user_limit_)
    summary["rate_limited"] = limited_;
  nlohmann::json targets = nlohmann::json::object();
  for (const auto& target : targets_)
    targets[target.endpoint->endpoint_name()] = {{"requests", target.requests},
                                                 {"healthy_at_end", target.is_registered && target.health.is_healthy},
                                                 {"times_marked_unhealthy", target.times_marked_unhealthy}};
  for (const auto& route : routes_)
    targets[route.endpoint->endpoint_name()] = {{"requests", route.requests}};
  summary["targets"] = targets;
}

void LoadBalancer::add_billing(std::vector<BillingLine>& lines, double end_s) const
{
  auto requests = static_cast<double>(stats_.lifetime().arrivals);
  if (is_network_) {
    lines.push_back({"nlb.hour", end_s / 3600});
    lines.push_back({"nlb.nlcu_hour", requests / new_flows_per_nlcu_per_s / 3600});
    return;
  }
  lines.push_back({"alb.hour", end_s / 3600});
  // LCU-hours = ∫ (new connections per s ÷ 25) dt / 3600 = all requests ÷ 25 ÷ 3600.
  lines.push_back({"alb.lcu_hour", requests / new_connections_per_lcu_per_s / 3600});
}

}  // namespace archlab
