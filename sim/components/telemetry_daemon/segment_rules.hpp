// The decisions of X-Ray tracing apart from any component: whether the SDK in a caller sends a
// request's segment at all (its sampling rule), and how the daemon holds, batches, uploads and drops
// the segments it receives over UDP (after the aws-xray-daemon's processor: batches of 50, a partial
// batch after 1 s without a send, 20 batches queued for 8 uploaders, the oldest batch dropped when
// the queue is full, a failed upload's batch not retried).
#pragma once

#include <cstdint>
#include <deque>
#include <optional>

namespace archlab {

// The X-Ray SDK's default rule: the first `reservoir_per_s` requests each second, then `rate` of the rest.
struct SamplingRule {
  int reservoir_per_s = 1;
  double rate = 0.05;
};
struct Reservoir {  // one per sender (each instance keeps its own with local rules)
  std::int64_t second = -1;
  int used = 0;
};
// `trace_draw` in [0, 1) belongs to the request, so that the services it passes through agree on the
// fixed-rate part (the trace header carries the decision downstream).
bool is_sampled(const SamplingRule& rule, Reservoir& reservoir, double now_s, double trace_draw);

struct DaemonSettings {
  int batch_segments = 50;    // the processor's BatchSize (fewer when the buffers are fewer)
  int queued_batches = 20;    // BatchProcessorQueueSize
  int uploaders = 8;          // Concurrency: PutTraceSegments calls in flight
};
// The number of 64 KB receive buffers `buffer_mb` of memory makes (the daemon's pool); the batch size
// is never more than that.
int receive_buffers(double buffer_mb);

class SegmentPipeline {
public:
  explicit SegmentPipeline(DaemonSettings settings) : settings_(settings) {}

  // A segment arrives; true when it completed a batch, which joined the upload queue.
  bool receive();
  // The idle timer: the partial batch, if any, joins the queue. True when one did.
  bool flush_partial();
  // A free uploader takes the oldest queued batch; its size, or none (nothing queued, or all busy).
  std::optional<int> start_upload();
  void upload_ended(int batch_size, bool is_ok);
  // The daemon stops: what it holds (the partial batch and the queue) is gone. Returns how many segments.
  std::uint64_t discard_held();

  int partial_segments() const { return partial_; }
  std::size_t queued_batches() const { return queue_.size(); }
  int uploads_in_flight() const { return in_flight_; }
  std::uint64_t received() const { return received_; }
  std::uint64_t spilled() const { return spilled_; }       // dropped with the oldest batch of a full queue
  std::uint64_t uploaded() const { return uploaded_; }
  std::uint64_t lost_in_failed_uploads() const { return failed_; }

private:
  void enqueue(int batch_size);

  DaemonSettings settings_;
  int partial_ = 0;
  std::deque<int> queue_;  // batch sizes, oldest first
  int in_flight_ = 0;
  std::uint64_t received_ = 0;
  std::uint64_t spilled_ = 0;
  std::uint64_t uploaded_ = 0;
  std::uint64_t failed_ = 0;
};

}  // namespace archlab
