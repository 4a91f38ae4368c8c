#include "sim/components/api_gateway/api_gateway.hpp"

#include "sim/core/slot_pool.hpp"
#include "sim/core/world.hpp"

#include <algorithm>
#include <cstdio>

namespace archlab {

namespace {
void check_api_gateway(const nlohmann::json& params, const std::string& path, std::vector<Problem>& problems)
{
  if (params.at("api_type") == "http" && params.at("integration_timeout_ms").get<double>() > 30000)
    problems.push_back({path + ".integration_timeout_ms", "an HTTP API waits at most 30,000 ms for its integration (AWS)"});
  // HTTP APIs integrate with a few services only (EventBridge, SQS, AppConfig, Kinesis Data Streams,
  // Step Functions): no Firehose
  if (params.at("api_type") == "http" && params.at("operation") == "put_record")
    problems.push_back({path + ".operation", "an HTTP API has no Firehose integration (its AWS service integrations: EventBridge, SQS, "
                                             "AppConfig, Kinesis Data Streams, Step Functions); use a REST API"});
}

std::vector<ParamSpec> authorizer_fields()
{
  return {
      distribution_param("check_ms", "ms", nlohmann::json{{"dist", "lognormal"}, {"mean", 5}, {"cv", 0.5}},
                         "time to validate a token not in the cache (assumption: the JWT's signature against the user pool's cached keys)"),
      number_param("result_ttl_s", "s", 300, "authorizerResultTtlInSeconds: how long a token's result is cached (AWS default 300 s, at most "
                                             "3,600; 0: every request is checked)").at_least(0).at_most(3600),
      number_param("invalid_token_share", "", 0, "share of requests presenting an invalid or expired token: 401").at_least(0).at_most(1),
      integer_param("distinct_tokens", 1000, "signed-in users whose tokens requests without a key present, one drawn per request "
                                             "(assumption; a request with a key presents its key's token)").at_least(1),
      text_list_param("kinds", "request kinds whose methods the authorizer guards (absent: every kind)"),
  };
}
}  // namespace

ComponentType ApiGateway::type_description()
{
  return {
      .name = "api_gateway",
      .summary = "the front door of an API: throttles with a token bucket (429), times out slow integrations (504)",
      .aws_counterpart = "Amazon API Gateway (REST or HTTP API)",
      .part_kind = PartKind::gateway,
      .params =
          {
              reference_param("target", Interaction::request, "the integration requests go to, e.g. a load balancer or a service").required(),
              operation_param("what the integration asks of its target: request (an HTTP or Lambda proxy integration) or an AWS service "
                              "integration's action, e.g. a stream's put_record or a queue's send; its arguments go beside it"),
              choice_param("api_type", {"rest", "http"}, "rest", "REST API or HTTP API: what a request is billed at and how long the timeout may be"),
              number_param("rate_per_s", "per s", 10000,
                           "steady rate of the token bucket (AWS account default per Region, shared by all APIs: 10,000 per s)")
                  .above(0),
              number_param("burst", "", 5000, "size of the token bucket: requests admitted at once (AWS account default: 5,000)").at_least(1),
              number_param("integration_timeout_ms", "ms", 29000,
                           "the timeout_ms of its integration call: the caller gets a 504 when the integration has not answered by then, never "
                           "retried (AWS: REST 50 ms to 29 s by default, "
                           "raisable for Regional and private REST APIs; HTTP APIs at most 30 s)")
                  .at_least(50)
                  .at_most(300000),
              distribution_param("latency_ms", "ms", nlohmann::json{{"dist", "lognormal"}, {"mean", 10}, {"cv", 0.5}},
                                 "the gateway's own overhead before the integration is called (assumption: AWS gives no number)"),
              object_param("authorizer", authorizer_fields(),
                           "a Cognito user pool authorizer (COGNITO_USER_POOLS) on the methods it guards (absent: none)")
                  .absent_unless_given(),
          },
      .create = [](const ComponentSetup& setup) -> std::unique_ptr<Component> { return std::make_unique<ApiGateway>(setup); },
      .check = check_api_gateway,
      .operations = {plain_request()},
      .reference_rules = {},
      .check_with_model = {},
      .fault_actions = {},
      .is_managed_multi_zone = true,
  };
}

ApiGateway::ApiGateway(const ComponentSetup& setup)
    : Component(setup, "api_gateway"),
      world_(setup.world),
      params_(setup.params),
      target_id_(setup.params.at("target").get<std::string>()),
      // The bucket starts full: an API that has been idle can take its whole burst (assumption).
      bucket_(setup.params.at("rate_per_s").get<double>(), setup.params.at("burst").get<double>(), setup.params.at("burst").get<double>()),
      integration_timeout_ms_(setup.params.at("integration_timeout_ms").get<double>()),
      is_http_api_(setup.params.at("api_type") == "http"),
      overhead_rng_(setup.world.rng(setup.id + "/latency"))
{
  overhead_s_ = setup.world.seconds_of(setup.params.at("latency_ms"));
  if (setup.params.contains("authorizer")) {
    const auto& json = setup.params.at("authorizer");
    Authorizer authorizer{.cache = AuthorizerCache(json.at("result_ttl_s").get<double>()),
                          .check_s = setup.world.seconds_of(json.at("check_ms")),
                          .invalid_token_share = json.at("invalid_token_share").get<double>(),
                          .distinct_tokens = json.at("distinct_tokens").get<std::uint64_t>(),
                          .kinds = {},
                          .rng = setup.world.rng(setup.id + "/authorizer")};
    for (const auto& kind : json.value("kinds", nlohmann::json::array()))
      authorizer.kinds.push_back(setup.world.kind_id(kind.get<std::string>()));
    authorizer_.emplace(std::move(authorizer));
  }
}

void ApiGateway::connect(World& world)
{
  CallPolicy integration;
  integration.timeout_ms = integration_timeout_ms_;
  Component& target = world.component(target_id_);
  integration_ = std::make_unique<CallSite>(world.scheduler(), target_id_, target, std::move(integration), world.rng(id() + "/integration"),
                                            nullptr, nullptr, operation_call(target, params_));
}

void ApiGateway::accept(const Call& call)
{
  double now_s = clock().now();
  ++requests_;
  stats_.arrive(call.request->is_measured);
  if (!bucket_.try_take(1, now_s)) {
    ++throttled_;  // 429 Too Many Requests
    stats_.reject(call.request->is_measured);
    call.caller->on_answer(call, Outcome::rejected);
    return;
  }
  stats_.busy.add(now_s, 1);
  auto slot = take_slot(pending_, free_pending_);
  pending_[slot] = {call, now_s};
  bool is_guarded = authorizer_ && (authorizer_->kinds.empty() ||
                                    std::find(authorizer_->kinds.begin(), authorizer_->kinds.end(), call.request->kind) != authorizer_->kinds.end());
  if (is_guarded)
    authorize(slot);
  else
    pass(slot);
}

// The token is checked unless a fresh result for it is cached; an invalid token is never cached
// here, so it is checked every time it comes.
void ApiGateway::authorize(std::uint32_t slot)
{
  Authorizer& authorizer = *authorizer_;
  double now_s = clock().now();
  std::uint64_t token = token_of(pending_[slot].call.request->key, authorizer.distinct_tokens, authorizer.rng.uniform01());
  bool is_invalid = authorizer.invalid_token_share > 0 && authorizer.rng.uniform01() < authorizer.invalid_token_share;
  if (!is_invalid && authorizer.cache.has_fresh(token, now_s)) {
    ++authorizer.cache_hits;
    pass(slot);
    return;
  }
  ++authorizer.checks;
  clock().after(std::max(0.0, authorizer.check_s.sample(authorizer.rng)), [this, slot, token, is_invalid] {
    if (is_invalid) {
      ++authorizer_->unauthorized;  // 401 Unauthorized
      answer(slot, Answer(Outcome::failed, Status::unauthorized));
      return;
    }
    authorizer_->cache.store(token, clock().now());
    pass(slot);
  });
}

void ApiGateway::pass(std::uint32_t slot)
{
  clock().after(overhead_s_.sample(overhead_rng_), [this, slot] { forward(slot); });
}

// The caller waits for this answer, so its request outlives the integration call; the call site
// sends the integration a copy of it, which lives until a late answer comes back.
void ApiGateway::forward(std::uint32_t slot)
{
  const Call& call = pending_[slot].call;
  integration_->send(Call{call.request, this, slot, integration_->operation()});
}

void ApiGateway::on_answer(const Call& call, const Answer& integration_answer)
{
  auto slot = static_cast<std::uint32_t>(call.tag);
  if (integration_->has_given_up_waiting() && ++integration_timeouts_ == 1) {  // 504 Gateway Timeout
    char waited[32];
    std::snprintf(waited, sizeof waited, "%.3f", clock().now() - pending_[slot].arrived_s);
    world_.log().add(clock().now(), id(), std::string("first integration timeout: 504 after ") + waited + " s (logged once)");
  }
  answer(slot, integration_answer);
}

void ApiGateway::answer(std::uint32_t slot, const Answer& answer_to_send)
{
  Outcome outcome = answer_to_send.outcome;
  Pending pending = pending_[slot];
  free_pending_.push_back(slot);
  double now_s = clock().now();
  bool is_measured = pending.call.request->is_measured;
  stats_.busy.add(now_s, -1);
  if (outcome == Outcome::rejected)
    stats_.reject(is_measured);
  else
    stats_.finish(now_s - pending.arrived_s, outcome == Outcome::ok, is_measured);
  pending.call.caller->on_answer(pending.call, answer_to_send);
}

// Counted from time 0, warm-up included, like the bill.
void ApiGateway::add_summary(nlohmann::json& summary, double) const
{
  summary["api_type"] = is_http_api_ ? "http" : "rest";
  summary["requests"] = requests_;
  summary["throttled"] = throttled_;
  summary["integration_timeouts"] = integration_timeouts_;
  summary["late_answers_ignored"] = integration_ ? integration_->late_answers() : 0;
  if (authorizer_)
    summary["authorizer"] = {{"checks", authorizer_->checks}, {"cache_hits", authorizer_->cache_hits}, {"unauthorized", authorizer_->unauthorized}};
}

void ApiGateway::add_billing(std::vector<BillingLine>& billing, double) const
{
  // Throttled requests are not billed (AWS re:Post answer; not in the fact sheet).
  billing.push_back({is_http_api_ ? "apigateway.http.request" : "apigateway.rest.request", static_cast<double>(requests_ - throttled_)});
}

}  // namespace archlab
