#include "sim/components/telemetry_daemon/telemetry_daemon.hpp"

#include "sim/core/fault_plan.hpp"
#include "sim/core/world.hpp"

#include <algorithm>

namespace archlab {

namespace {
struct SegmentArguments final : CallArguments {
  SamplingRule rule;
};

std::shared_ptr<const CallArguments> read_segment_arguments(const nlohmann::json& call_site)
{
  auto arguments = std::make_shared<SegmentArguments>();
  arguments->rule.reservoir_per_s = call_site.at("sample_reservoir_per_s").get<int>();
  arguments->rule.rate = call_site.at("sample_rate").get<double>();
  return arguments;
}

// The request's own draw for the fixed-rate part of sampling, the same wherever its segments are
// made (a trace ID decides once), and drawn from no stream so that tracing changes no other number.
double trace_draw(std::uint64_t request_id)
{
  std::uint64_t z = request_id + 0x9E3779B97F4A7C15ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  z ^= z >> 31;
  return static_cast<double>(z >> 11) * 0x1.0p-53;
}

DaemonSettings settings_from(const nlohmann::json& params)
{
  DaemonSettings settings;
  settings.batch_segments = std::min(params.at("batch_segments").get<int>(), receive_buffers(params.at("buffer_mb").get<double>()));
  settings.queued_batches = params.at("queued_batches").get<int>();
  settings.uploaders = params.at("uploaders").get<int>();
  return settings;
}
}  // namespace

ComponentType TelemetryDaemon::type_description()
{
  return {
      .name = "telemetry_daemon",
      .summary = "takes trace segments over UDP (best effort: the sender never hears), batches them and uploads the batches; drops "
                 "what it cannot hold, counted here and nowhere else",
      .aws_counterpart = "AWS X-Ray daemon (sidecar or its own task) and the X-Ray SDK's sampling rule",
      .part_kind = PartKind::telemetry,
      .params =
          {
              number_param("buffer_mb", "MB", 3, "memory for receive buffers, 64 KB each (the daemon's TotalBufferSizeMB, at least 3; "
                                                 "a batch is never larger than the buffers)")
                  .at_least(3)
                  .at_most(65536),
              integer_param("batch_segments", 50, "segments per PutTraceSegments call (the daemon's batch size: 50)").at_least(1).at_most(50),
              integer_param("queued_batches", 20, "batches waiting for an uploader; a batch arriving at a full queue drops the oldest "
                                                  "(the daemon's BatchProcessorQueueSize: 20)")
                  .at_least(1)
                  .at_most(100000),
              integer_param("uploaders", 8, "PutTraceSegments calls in flight at once (the daemon's Concurrency: 8)").at_least(1).at_most(1000),
              number_param("idle_send_ms", "ms", 1000, "a partial batch is sent once this long has passed without a send (the daemon: 1 s; "
                                                    "at least 10 ms, so that the idle timer stays a timer)")
                  .at_least(10)
                  .at_most(60000),
              distribution_param("upload_ms", "ms", 100,
                                 "one PutTraceSegments call, from the daemon to the X-Ray API and back (an assumption: AWS publishes no "
                                 "figure); a failed call's batch is not retried"),
          },
      .create = [](const ComponentSetup& setup) -> std::unique_ptr<Component> { return std::make_unique<TelemetryDaemon>(setup); },
      .check = {},
      .operations = {{.name = "put_segment",
                      .meaning = "a request's trace segment, sent over UDP (one-way): first sampled by the sender's SDK (the first "
                                 "sample_reservoir_per_s requests each second, then sample_rate of the rest; 1 and 0.05 is the SDK's "
                                 "default rule, sample_rate 1 traces every request)",
                      .is_one_way = true,
                      .arguments = {integer_param("sample_reservoir_per_s", 1, "the sampling rule's reservoir: requests traced each "
                                                                               "second before the rate applies (SDK default 1)")
                                        .at_least(0)
                                        .at_most(1000000),
                                    number_param("sample_rate", "", 0.05, "the share of the other requests traced (SDK default 0.05)")
                                        .at_least(0)
                                        .at_most(1)},
                      .read_arguments = read_segment_arguments}},
      .reference_rules = {},
      .check_with_model = {},
      .fault_actions = {"kill", "recover", "slow", "fail"},
      .is_managed_multi_zone = false,
      .signals = {{"segments_dropped", "segments", SignalKind::counter, "segments lost: spilled from a full queue, sent to a daemon "
                                                                         "that is down, or in a failed upload"},
                  {"queued_batches", "batches", SignalKind::gauge, "batches waiting for an uploader"}},
      .callers_default_retry = {},
  };
}

TelemetryDaemon::TelemetryDaemon(const ComponentSetup& setup)
    : Component(setup, "telemetry_daemon"),
      world_(setup.world),
      pipeline_(settings_from(setup.params)),
      idle_send_s_(setup.params.at("idle_send_ms").get<double>() / 1000),
      upload_s_(setup.world.seconds_of(setup.params.at("upload_ms"))),
      upload_rng_(setup.world.rng(setup.id + "/upload")),
      fault_rng_(setup.world.rng(setup.id + "/faults"))
{
}

void TelemetryDaemon::start(World&)
{
  clock().after(idle_send_s_, [this] { idle_check(); });
}

void TelemetryDaemon::accept(const Call& call)
{
  stats_.arrive(call.request->is_measured);
  if (call.operation != Operation::named("put_segment")) {
    refuse_operation(call, world_);
    return;
  }
  ++offered_;
  SamplingRule rule;
  if (const auto* arguments = call.arguments_as<SegmentArguments>())
    rule = arguments->rule;
  if (!is_sampled(rule, reservoirs_[call.arguments], clock().now(), trace_draw(call.request->id))) {
    ++not_sampled_;
    return;
  }
  if (is_down_) {
    ++dropped_down_;
    return;
  }
  if (pipeline_.receive()) {
    sent_a_batch();
    start_uploads();
  }
}

// The daemon's idle timer, reset by every send: a partial batch waits at most idle_send_ms.
void TelemetryDaemon::idle_check()
{
  double now_s = clock().now();
  double due_s = last_send_s_ + idle_send_s_;
  if (now_s + 1e-12 >= due_s) {
    if (!is_down_ && pipeline_.flush_partial())
      start_uploads();
    sent_a_batch();
    due_s = now_s + idle_send_s_;
  }
  clock().at(due_s, [this] { idle_check(); });
}

void TelemetryDaemon::start_uploads()
{
  while (auto batch = pipeline_.start_upload()) {
    int size = *batch;
    double took_s = upload_s_.sample(upload_rng_) * slow_factor_;
    bool is_ok = failure_probability_ == 0 || fault_rng_.uniform01() >= failure_probability_;
    clock().after(took_s, [this, size, is_ok] {
      pipeline_.upload_ended(size, is_ok);
      start_uploads();
    });
  }
}

void TelemetryDaemon::apply_fault(const FaultEvent& fault, World& world)
{
  if (fault.target != id())
    return Component::apply_fault(fault, world);
  if (fault.action == "kill") {
    is_down_ = true;
    std::uint64_t lost = pipeline_.discard_held();
    dropped_down_ += lost;
    world.log().add(clock().now(), id(), "down: segments sent to it are lost (" + std::to_string(lost) + " it held)");
  } else if (fault.action == "slow") {
    slow_factor_ = fault.latency_factor;
    world.log().add(clock().now(), id(), "uploads slowed ×" + std::to_string(fault.latency_factor));
  } else if (fault.action == "fail") {
    failure_probability_ = fault.failure_probability;
    world.log().add(clock().now(), id(), "uploads failing: their batches are lost");
  } else if (fault.action == "recover") {
    is_down_ = false;
    slow_factor_ = 1;
    failure_probability_ = 0;
    world.log().add(clock().now(), id(), "back to normal");
  }
}

void TelemetryDaemon::add_summary(nlohmann::json& summary, double /*end_s*/) const
{
  std::uint64_t dropped = pipeline_.spilled() + dropped_down_ + pipeline_.lost_in_failed_uploads();
  std::uint64_t sent = offered_ - not_sampled_;
  summary["segments"] = {
      {"offered", offered_},
      {"not_sampled", not_sampled_},
      {"sent", sent},
      {"uploaded", pipeline_.uploaded()},
      {"spilled", pipeline_.spilled()},
      {"dropped_daemon_down", dropped_down_},
      {"lost_in_failed_uploads", pipeline_.lost_in_failed_uploads()},
      {"dropped", dropped},
      {"drop_rate", sent == 0 ? 0.0 : static_cast<double>(dropped) / static_cast<double>(sent)},
      {"held_at_end", sent - pipeline_.uploaded() - dropped},
  };
}

std::optional<double> TelemetryDaemon::signal(std::string_view name) const
{
  if (name == "segments_dropped")
    return static_cast<double>(pipeline_.spilled() + dropped_down_ + pipeline_.lost_in_failed_uploads());
  if (name == "queued_batches")
    return static_cast<double>(pipeline_.queued_batches());
  return Component::signal(name);
}

}  // namespace archlab
