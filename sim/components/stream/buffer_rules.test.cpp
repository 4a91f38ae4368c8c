#include "sim/components/stream/buffer_rules.hpp"
#include "sim/components/stream/stream_theory.hpp"

#include <catch2/catch.hpp>

using namespace archlab;

TEST_CASE("stream rules: a buffer is full at its size hint", "[stream]")
{
  BufferHints hints{.size_bytes = 1000, .interval_s = 60};
  CHECK_FALSE(is_full(hints, 999));
  CHECK(is_full(hints, 1000));
}

TEST_CASE("conformance (Firehose pricing: each record is billed rounded up to the next 5 KB)", "[stream][conformance]")
{
  CHECK(billed_bytes(1) == 5120);
  CHECK(billed_bytes(5120) == 5120);
  CHECK(billed_bytes(5121) == 10240);
}

TEST_CASE("stream theory: the size-or-time buffer's mean delay reproduces the published figures and both limits", "[stream][theory]")
{
  // (λ, N, T) → W; records per flush.
  CHECK(size_or_time_buffer(10, 100, 5).mean_delay_s == Approx(2.549).epsilon(0.001));
  CHECK(size_or_time_buffer(10, 100, 5).records_per_flush == Approx(51.0).epsilon(0.001));
  CHECK(size_or_time_buffer(10, 20, 5).mean_delay_s == Approx(0.950).epsilon(0.001));
  CHECK(size_or_time_buffer(1, 1000, 60).mean_delay_s == Approx(30.49).epsilon(0.001));
  CHECK(size_or_time_buffer(100, 500, 300).mean_delay_s == Approx(2.495).epsilon(0.001));
  CHECK(size_or_time_buffer(100, 500, 300).flushes_per_s == Approx(0.2).epsilon(0.001));
  // Time only (N beyond reach): T(1 + λT/2)/(1 + λT); size only (T beyond reach): (N − 1)/(2λ).
  CHECK(size_or_time_buffer(2, 1000000, 10).mean_delay_s == Approx(10 * (1 + 10.0) / 21).epsilon(1e-6));
  CHECK(size_or_time_buffer(50, 40, 1e6).mean_delay_s == Approx(39.0 / 100).epsilon(1e-6));
  // A zero interval or a one-record buffer flushes every record at once.
  CHECK(size_or_time_buffer(10, 100, 0).mean_delay_s == 0);
  CHECK(size_or_time_buffer(10, 1, 60).records_per_flush == 1);
}
