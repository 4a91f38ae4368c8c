// The tracing rules, called directly: the SDK's sampling and the daemon's batches.
#include "sim/components/telemetry_daemon/segment_rules.hpp"
#include "sim/core/random.hpp"

#include <catch2/catch.hpp>

#include <cmath>

using namespace archlab;

TEST_CASE("conformance (X-Ray SDK default sampling: the first request each second, then 5% of the rest)", "[telemetry_daemon][conformance]")
{
  SamplingRule rule;  // the defaults: 1 a second, 5 %
  Reservoir reservoir;
  Rng rng(11);
  int sampled = 0;
  for (int i = 0; i < 10000; ++i)  // 100 requests a second for 100 s
    sampled += is_sampled(rule, reservoir, i * 0.01, rng.uniform01());
  // 100 from the reservoir, then 5 % of 9,900: 595, σ = √(9,900 × 0.05 × 0.95) ≈ 21.7
  CHECK(std::abs(sampled - 595) < 87);

  Reservoir quiet;
  CHECK(is_sampled(rule, quiet, 0.2, 0.99));        // the second's first request: always
  CHECK_FALSE(is_sampled(rule, quiet, 0.7, 0.99));  // its second: by the rate
  CHECK(is_sampled(rule, quiet, 0.8, 0.01));
  CHECK(is_sampled(rule, quiet, 1.1, 0.99));        // a new second, a new reservoir
  CHECK(is_sampled({.reservoir_per_s = 0, .rate = 1}, quiet, 1.2, 0.999));  // sample_rate 1: every request
}

TEST_CASE("conformance (X-Ray daemon: 64 KB receive buffers from its memory, 3 MB at least)", "[telemetry_daemon][conformance]")
{
  CHECK(receive_buffers(3) == 48);
  CHECK(receive_buffers(16) == 256);
}

TEST_CASE("telemetry daemon: segments go in batches of the batch size; a full queue drops its oldest batch", "[telemetry_daemon]")
{
  SegmentPipeline pipeline({.batch_segments = 3, .queued_batches = 2, .uploaders = 1});
  CHECK_FALSE(pipeline.receive());
  CHECK_FALSE(pipeline.receive());
  CHECK(pipeline.receive());  // the third completes a batch
  CHECK(pipeline.queued_batches() == 1);
  CHECK(pipeline.start_upload() == 3);
  CHECK_FALSE(pipeline.start_upload());  // the one uploader is busy
  for (int i = 0; i < 9; ++i)
    pipeline.receive();  // three more batches into a queue of two: the oldest goes
  CHECK(pipeline.queued_batches() == 2);
  CHECK(pipeline.spilled() == 3);
  pipeline.upload_ended(3, true);
  CHECK(pipeline.uploaded() == 3);
  pipeline.receive();
  CHECK(pipeline.flush_partial());  // the idle timer sends a partial batch of one
  CHECK_FALSE(pipeline.flush_partial());
  CHECK(pipeline.queued_batches() == 2);
  CHECK(pipeline.spilled() == 6);
  auto size = pipeline.start_upload();
  REQUIRE(size);
  pipeline.upload_ended(*size, false);  // a failed upload is not retried
  CHECK(pipeline.lost_in_failed_uploads() == 3);
  CHECK(pipeline.discard_held() == 1);
  CHECK(pipeline.received() == 13);
  CHECK(pipeline.uploaded() + pipeline.spilled() + pipeline.lost_in_failed_uploads() + 1 == pipeline.received());
}
