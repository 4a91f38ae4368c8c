// API Gateway: the front door of an API. A token bucket (rate, burst) refuses the excess with 429
// at once; the rest go to the integration (the target) after the gateway's own overhead, through a
// call site whose policy is the integration timeout (`timeout_ms` = integration_timeout_ms; API
// Gateway never retries an integration): an integration that has not answered by then gets the
// caller a 504, and its late answer is dropped. An `authorizer` (a Cognito user pool authorizer)
// checks the token of each request it guards before the overhead: a token with a fresh cached
// result passes at once, any other is checked (check_ms) and its result cached for result_ttl_s;
// an invalid one gets a 401 (failed, status unauthorized).
#pragma once

#include "sim/components/api_gateway/authorizer_cache.hpp"
#include "sim/components/api_gateway/token_bucket.hpp"
#include "sim/core/call_site.hpp"
#include "sim/core/component.hpp"
#include "sim/core/distribution.hpp"
#include "sim/core/random.hpp"
#include "sim/core/registry.hpp"

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace archlab {

class ApiGateway final : public Component, public Caller {
public:
  explicit ApiGateway(const ComponentSetup& setup);
  static ComponentType type_description();

  void accept(const Call& call) override;
  void connect(World& world) override;
  void on_answer(const Call& call, const Answer& answer) override;
  void add_summary(nlohmann::json& summary, double end_s) const override;
  void add_billing(std::vector<BillingLine>& billing, double end_s) const override;

private:
  struct Pending {
    Call call;  // the caller's
    double arrived_s = 0;
  };

  struct Authorizer {
    AuthorizerCache cache;
    Distribution check_s;
    double invalid_token_share = 0;
    std::uint64_t distinct_tokens = 1;
    std::vector<std::uint16_t> kinds;  // empty: every kind
    Rng rng;
    std::uint64_t checks = 0;
    std::uint64_t cache_hits = 0;
    std::uint64_t unauthorized = 0;
  };

  void authorize(std::uint32_t slot);
  void pass(std::uint32_t slot);
  void forward(std::uint32_t slot);
  void answer(std::uint32_t slot, const Answer& answer_to_send);

  World& world_;
  const nlohmann::json& params_;
  std::string target_id_;
  TokenBucket bucket_;
  double integration_timeout_ms_;
  // Its own, not among call_sites(): the gateway's figures (integration_timeouts, late answers) say
  // what it saw, counted from time 0 like its bill.
  std::unique_ptr<CallSite> integration_;
  Distribution overhead_s_;
  bool is_http_api_;
  Rng overhead_rng_;
  std::optional<Authorizer> authorizer_;
  std::deque<Pending> pending_;
  std::vector<std::uint32_t> free_pending_;
  std::uint64_t requests_ = 0;
  std::uint64_t throttled_ = 0;
  std::uint64_t integration_timeouts_ = 0;
};

}  // namespace archlab
