// The stream's decisions, pure: when a buffer is flushed and what a record is billed as.
#pragma once

#include <cstdint>

namespace archlab {

// Firehose's buffering hints: a buffer is delivered when it holds size_bytes or when interval_s has
// passed since its first record, whichever comes first (AWS: BufferingHints).
struct BufferHints {
  double size_bytes = 5.0 * 1024 * 1024;
  double interval_s = 300;
};
bool is_full(const BufferHints& hints, double buffered_bytes);

// Ingestion is billed per GB with each record rounded up to the next 5 KB (AWS Firehose pricing).
constexpr double billing_record_bytes = 5 * 1024;
double billed_bytes(double record_bytes);

}  // namespace archlab
