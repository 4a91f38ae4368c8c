// A poller's batch: how it is gathered (batch size, batching window, the 6 MB invoke payload) and,
// once the function has answered, which of its messages are deleted and which return to the queue.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace archlab {

struct BatchSettings {
  int batch_size = 10;
  double window_s = 0;                             // MaximumBatchingWindowInSeconds
  std::uint64_t payload_limit_bytes = 6291456;     // the synchronous invoke's payload, 6 MB
};

struct GatheredBatch {
  int messages = 0;
  std::uint64_t size_bytes = 0;
  double first_s = 0;  // when its first message was received
};

// Messages to ask for on the next receive (ReceiveMessage takes at most 10).
int messages_to_ask(const BatchSettings& settings, const GatheredBatch& batch);

// Whether the batch goes to the function now: it is full (count or payload), or its window has run
// out; with no window, as soon as it holds anything. An empty batch never does.
bool is_batch_ready(const BatchSettings& settings, const GatheredBatch& batch, double now_s);

// Which messages of an invoked batch are deleted (true) and which are left to return after their
// visibility timeout. `item_fails[i]`: the handler fails on message i. Without partial batch
// responses any failure, or a failed invoke, returns the whole batch; with them only the failed
// items return, and on a FIFO queue every item after the first failure too (kept in order).
std::vector<bool> messages_to_delete(const std::vector<bool>& item_fails, bool is_invoke_ok, bool reports_item_failures, bool is_fifo);

// AWS's advice for the queue's visibility timeout under a Lambda event source: 6 × the function
// timeout plus the batching window. Below the function timeout itself a message can be received
// again while its first invoke still runs.
double recommended_visibility_timeout_s(double function_timeout_s, double window_s);

}  // namespace archlab
