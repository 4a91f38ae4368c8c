// API Gateway: the front door of an API. A token bucket (rate, burst) refuses the excess with 429
// at once; the rest go to the integration (the target) after the gateway's own overhead, and an
// integration that has not answered within the integration timeout gets the caller a 504.
#pragma once

#include "sim/components/api_gateway/token_bucket.hpp"
#include "sim/core/component.hpp"
#include "sim/core/distribution.hpp"
#include "sim/core/random.hpp"
#include "sim/core/registry.hpp"

#include <cstdint>
#include <deque>
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
  enum class SlotState : std::uint8_t { free, in_overhead, waiting, timed_out };
  struct Pending {
    Call call;  // the caller's
    // What the integration holds. The caller frees its request once answered, and after a 504 the
    // integration may still be working on it: it gets this copy, which lives until its late answer.
    Request forwarded;
    double arrived_s = 0;
    EventId timeout;
    SlotState state = SlotState::free;
  };

  std::uint32_t take_slot();
  void forward(std::uint32_t slot);
  void time_out(std::uint32_t slot);
  void release(std::uint32_t slot);
  void answer(Pending& pending, const Answer& answer_to_send);

  World& world_;
  std::string target_id_;
  Endpoint* target_ = nullptr;
  TokenBucket bucket_;
  double integration_timeout_s_;
  Distribution overhead_s_;
  bool is_http_api_;
  Rng overhead_rng_;
  std::deque<Pending> pending_;  // a deque: the integration holds pointers into it
  std::vector<std::uint32_t> free_pending_;
  std::uint64_t requests_ = 0;
  std::uint64_t throttled_ = 0;
  std::uint64_t integration_timeouts_ = 0;
  std::uint64_t late_answers_ = 0;
};

}  // namespace archlab
