// Telemetry daemon (the AWS X-Ray daemon): services send it a segment per request over UDP, which
// never answers, so the sender goes on at once and never learns what became of it. The SDK in the
// sender samples first (segment_rules.hpp); the daemon batches what arrives and uploads the batches
// with a few concurrent PutTraceSegments calls. A burst faster than the uploads fills its queue and
// the oldest batches are dropped; a daemon that is down drops everything. Drops are counted here,
// where nobody looks: the requests carry on unaffected.
#pragma once

#include "sim/components/telemetry_daemon/segment_rules.hpp"
#include "sim/core/component.hpp"
#include "sim/core/distribution.hpp"
#include "sim/core/random.hpp"
#include "sim/core/registry.hpp"

#include <cstdint>
#include <unordered_map>

namespace archlab {

class TelemetryDaemon final : public Component {
public:
  explicit TelemetryDaemon(const ComponentSetup& setup);
  static ComponentType type_description();

  void accept(const Call& call) override;
  void start(World& world) override;
  void apply_fault(const FaultEvent& fault, World& world) override;
  void add_summary(nlohmann::json& summary, double end_s) const override;
  std::optional<double> signal(std::string_view name) const override;

private:
  void idle_check();
  void start_uploads();
  void sent_a_batch() { last_send_s_ = clock().now(); }

  World& world_;
  SegmentPipeline pipeline_;
  double idle_send_s_;
  Distribution upload_s_;
  Rng upload_rng_;
  Rng fault_rng_;
  std::unordered_map<const CallArguments*, Reservoir> reservoirs_;  // one per sending call site
  double last_send_s_ = 0;
  double slow_factor_ = 1;
  double failure_probability_ = 0;
  bool is_down_ = false;
  std::uint64_t offered_ = 0;       // segments the senders' requests would make
  std::uint64_t not_sampled_ = 0;   // of them, those the SDK's sampling rule left out
  std::uint64_t dropped_down_ = 0;  // sent while the daemon was down, or held when it went down
};

}  // namespace archlab
