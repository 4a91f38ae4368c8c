#include "sim/components/telemetry_daemon/segment_rules.hpp"

#include <algorithm>
#include <cmath>

namespace archlab {

bool is_sampled(const SamplingRule& rule, Reservoir& reservoir, double now_s, double trace_draw)
{
  auto second = static_cast<std::int64_t>(std::floor(now_s));
  if (second != reservoir.second) {
    reservoir.second = second;
    reservoir.used = 0;
  }
  if (reservoir.used < rule.reservoir_per_s) {
    ++reservoir.used;
    return true;
  }
  return trace_draw < rule.rate;
}

int receive_buffers(double buffer_mb)
{
  return static_cast<int>(std::floor(buffer_mb * 1024 / 64));
}

bool SegmentPipeline::receive()
{
  ++received_;
  if (++partial_ < settings_.batch_segments)
    return false;
  enqueue(partial_);
  partial_ = 0;
  return true;
}

bool SegmentPipeline::flush_partial()
{
  if (partial_ == 0)
    return false;
  enqueue(partial_);
  partial_ = 0;
  return true;
}

void SegmentPipeline::enqueue(int batch_size)
{
  if (static_cast<int>(queue_.size()) >= settings_.queued_batches) {
    spilled_ += static_cast<std::uint64_t>(queue_.front());
    queue_.pop_front();
  }
  queue_.push_back(batch_size);
}

std::optional<int> SegmentPipeline::start_upload()
{
  if (queue_.empty() || in_flight_ >= settings_.uploaders)
    return std::nullopt;
  int size = queue_.front();
  queue_.pop_front();
  ++in_flight_;
  return size;
}

void SegmentPipeline::upload_ended(int batch_size, bool is_ok)
{
  --in_flight_;
  (is_ok ? uploaded_ : failed_) += static_cast<std::uint64_t>(batch_size);
}

std::uint64_t SegmentPipeline::discard_held()
{
  std::uint64_t held = static_cast<std::uint64_t>(partial_);
  for (int batch : queue_)
    held += static_cast<std::uint64_t>(batch);
  partial_ = 0;
  queue_.clear();
  return held;
}

}  // namespace archlab
