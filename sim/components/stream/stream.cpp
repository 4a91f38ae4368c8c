#include "sim/components/stream/stream.hpp"

#include "sim/core/slot_pool.hpp"
#include "sim/core/world.hpp"

#include <algorithm>
#include <utility>

namespace archlab {

namespace {
const Operation put_record_operation = Operation::named("put_record");
constexpr double mib = 1024.0 * 1024.0;
constexpr double gib = 1024.0 * mib;
constexpr std::uint32_t smallest_record_bytes = 100;

BufferHints hints_of(const nlohmann::json& params, const char* size_mib, const char* interval_s)
{
  return {.size_bytes = params.at(size_mib).get<double>() * mib, .interval_s = params.at(interval_s).get<double>()};
}
}  // namespace

Stream::Stream(const ComponentSetup& setup)
    : Component(setup, "stream"),
      world_(setup.world),
      params_(setup.params),
      transform_stage_{.hints = hints_of(setup.params, "transform_buffer_mib", "transform_interval_s"), .records = {}, .interval_timer = {}},
      destination_stage_{.hints = hints_of(setup.params, "buffer_size_mib", "buffer_interval_s"), .records = {}, .interval_timer = {}},
      transform_retries_(setup.params.at("transform_retries").get<int>()),
      retry_interval_s_(setup.params.at("delivery_retry_interval_s").get<double>()),
      default_record_bytes_(setup.params.at("record_size_bytes").get<std::uint32_t>()),
      failed_kind_(setup.world.kind_id("processing_failed")),
      api_latency_s_(setup.world.seconds_of(setup.params.at("api_latency_ms"))),
      latency_rng_(setup.world.rng(setup.id + "/latency"))
{
}

void Stream::connect(World& world)
{
  nlohmann::json destination = {{"target", params_.at("destination")}, {"operation", "put"}, {"unique_name", true}};
  destination_ = &call_sites_.add(world, destination, id() + "/destination");
  if (params_.contains("transform") && !params_.at("transform").is_null())
    transform_ = &call_sites_.add(world, nlohmann::json{{"target", params_.at("transform")}, {"operation", "request"}}, id() + "/transform");
}

void Stream::accept(const Call& call)
{
  stats_.arrive(call.request->is_measured);
  if (call.operation != put_record_operation) {
    refuse_operation(call, world_);
    return;
  }
  double arrived_s = clock().now();
  stats_.busy.add(arrived_s, 1);
  // A record under 100 B fills the buffer as 100 B would: a 128 MiB buffer then holds at most 1.3
  // million records' times, whatever a sender puts.
  std::uint32_t bytes = std::max<std::uint32_t>(smallest_record_bytes, call.request->size_bytes ? call.request->size_bytes : default_record_bytes_);
  clock().after(std::max(0.0, api_latency_s_.sample(latency_rng_)), [this, call, arrived_s, bytes] {
    double now_s = clock().now();
    stats_.busy.add(now_s, -1);
    stats_.finish(now_s - arrived_s, true, call.request->is_measured);
    call.caller->on_answer(call, Outcome::ok);
    ++records_in_;
    billed_bytes_ += billed_bytes(bytes);
    join(transform_ ? transform_stage_ : destination_stage_, now_s, bytes);
  });
}

void Stream::join(Stage& stage, double joined_s, std::uint32_t bytes)
{
  if (stage.records.size() == 0 && stage.hints.interval_s > 0)
    stage.interval_timer = clock().after(stage.hints.interval_s, [this, &stage] { flush(stage); });
  stage.records.joined_s.push_back(joined_s);
  stage.records.bytes.push_back(bytes);
  stage.records.total_bytes += bytes;
  if (stage.hints.interval_s <= 0 || is_full(stage.hints, stage.records.total_bytes)) {
    clock().cancel(stage.interval_timer);
    flush(stage);
  }
}

std::uint32_t Stream::new_batch(Step step, Records records)
{
  std::uint32_t slot = take_slot(batches_, free_batches_);
  records_in_flight_ += records.size();
  batches_[slot] = Batch{.step = step, .records = std::move(records), .attempts = 0, .request = {}};
  return slot;
}

void Stream::flush(Stage& stage)
{
  if (stage.records.size() == 0)
    return;
  bool is_destination = &stage == &destination_stage_;
  if (is_destination) {
    ++flushes_;
    records_flushed_ += stage.records.size();
  }
  std::uint32_t slot = new_batch(is_destination ? Step::put : Step::transform, std::exchange(stage.records, Records{}));
  send(slot);
}

void Stream::send(std::uint32_t slot)
{
  Batch& batch = batches_[slot];
  ++batch.attempts;
  batch.request = Request{};
  batch.request.sent_s = clock().now();
  batch.request.key = ++batch_number_;  // a new object name per put
  batch.request.kind = batch.step == Step::error_put ? failed_kind_ : 0;
  batch.request.size_bytes = static_cast<std::uint32_t>(std::min(batch.records.total_bytes, 4294967295.0));
  CallSite& site = batch.step == Step::transform ? *transform_ : *destination_;
  if (batch.step == Step::transform)
    ++transform_invocations_;
  site.send(Call{&batch.request, this, slot, site.operation()});
}

void Stream::on_answer(const Call& call, const Answer& answer)
{
  auto slot = static_cast<std::uint32_t>(call.tag);
  bool is_ok = answer.outcome == Outcome::ok;
  if (batches_[slot].step == Step::transform)
    transformed(slot, is_ok);
  else
    written(slot, is_ok);
}

// A transformed batch joins the destination's buffer, keeping each record's own start; a batch
// the function failed on every try goes to the error output.
void Stream::transformed(std::uint32_t slot, bool is_ok)
{
  Batch& batch = batches_[slot];
  if (!is_ok) {
    ++transform_failures_;
    if (batch.attempts <= transform_retries_) {
      send(slot);
      return;
    }
    if (!has_logged_transform_failure_)
      world_.log().add(clock().now(), id(), "transform failed " + std::to_string(batch.attempts) +
                                               " times: its records go to the error output (logged once)");
    has_logged_transform_failure_ = true;
    batch.step = Step::error_put;
    batch.attempts = 0;
    send(slot);
    return;
  }
  Records records = std::move(batch.records);
  records_in_flight_ -= records.size();
  batches_[slot] = Batch{};
  free_batches_.push_back(slot);
  for (std::size_t i = 0; i < records.size(); ++i)
    join(destination_stage_, records.joined_s[i], records.bytes[i]);
}

void Stream::written(std::uint32_t slot, bool is_ok)
{
  Batch& batch = batches_[slot];
  if (!is_ok) {
    ++put_retries_;
    clock().after(retry_interval_s_, [this, slot] { send(slot); });
    return;
  }
  double now_s = clock().now();
  if (batch.step == Step::error_put) {
    records_failed_ += batch.records.size();
  } else {
    records_delivered_ += batch.records.size();
    for (double joined_s : batch.records.joined_s)
      delivery_delay_s_.record(now_s - joined_s);
  }
  records_in_flight_ -= batch.records.size();
  batches_[slot] = Batch{};  // its records go now, not when the slot is reused
  free_batches_.push_back(slot);
}

std::optional<double> Stream::signal(std::string_view name) const
{
  if (name == "records_buffered")
    return static_cast<double>(transform_stage_.records.size() + destination_stage_.records.size());
  if (name == "data_freshness_s") {  // DeliveryToS3.DataFreshness: the age of the oldest record not yet in S3
    double now_s = clock().now(), oldest_s = now_s;
    for (const auto* records : {&transform_stage_.records, &destination_stage_.records})
      for (double joined_s : records->joined_s)
        oldest_s = std::min(oldest_s, joined_s);
    for (const auto& batch : batches_)
      for (double joined_s : batch.records.joined_s)
        oldest_s = std::min(oldest_s, joined_s);
    return now_s - oldest_s;
  }
  if (name == "records_delivered")
    return static_cast<double>(records_delivered_);
  return Component::signal(name);
}

void Stream::add_summary(nlohmann::json& summary, double /*end_s*/) const
{
  summary["records_in"] = records_in_;
  summary["flushes"] = flushes_;
  summary["records_per_flush_mean"] = flushes_ ? static_cast<double>(records_flushed_) / static_cast<double>(flushes_) : 0.0;
  summary["records_delivered"] = records_delivered_;
  summary["records_failed"] = records_failed_;
  summary["records_buffered_at_end"] = transform_stage_.records.size() + destination_stage_.records.size() + records_in_flight_;
  summary["transform_invocations"] = transform_invocations_;
  summary["transform_failures"] = transform_failures_;
  summary["put_retries"] = put_retries_;
  const auto& delay = delivery_delay_s_;
  summary["delivery_delay_s"] = {{"mean", delay.mean()}, {"p50", delay.percentile(0.5)}, {"p99", delay.percentile(0.99)}, {"max", delay.max()}};
}

void Stream::add_billing(std::vector<BillingLine>& billing, double /*end_s*/) const
{
  billing.push_back({"firehose.ingest.gb", billed_bytes_ / gib});
}

}  // namespace archlab
