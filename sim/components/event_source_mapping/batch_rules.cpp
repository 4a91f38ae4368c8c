#include "sim/components/event_source_mapping/batch_rules.hpp"

#include <algorithm>

namespace archlab {

int messages_to_ask(const BatchSettings& settings, const GatheredBatch& batch)
{
  return std::clamp(settings.batch_size - batch.messages, 1, 10);
}

bool is_batch_ready(const BatchSettings& settings, const GatheredBatch& batch, double now_s)
{
  if (batch.messages == 0)
    return false;
  if (batch.messages >= settings.batch_size || batch.size_bytes >= settings.payload_limit_bytes)
    return true;
  return now_s - batch.first_s >= settings.window_s;
}

std::vector<bool> messages_to_delete(const std::vector<bool>& item_fails, bool is_invoke_ok, bool reports_item_failures, bool is_fifo)
{
  std::vector<bool> deletes(item_fails.size(), false);
  if (!is_invoke_ok)
    return deletes;
  bool has_failure = std::find(item_fails.begin(), item_fails.end(), true) != item_fails.end();
  if (has_failure && !reports_item_failures)
    return deletes;
  for (std::size_t i = 0; i < item_fails.size(); ++i) {
    if (item_fails[i] && is_fifo)
      break;  // the rest of a FIFO batch is reported failed with it, so the group keeps its order
    deletes[i] = !item_fails[i];
  }
  return deletes;
}

double recommended_visibility_timeout_s(double function_timeout_s, double window_s) { return 6 * function_timeout_s + window_s; }

}  // namespace archlab
