#include "sim/components/event_source_mapping/batch_rules.hpp"

#include <catch2/catch.hpp>

namespace archlab {

TEST_CASE("batch: asks for what is missing, 10 at most a receive", "[event_source_mapping]")
{
  BatchSettings settings{.batch_size = 25, .window_s = 2};
  CHECK(messages_to_ask(settings, {.messages = 0}) == 10);
  CHECK(messages_to_ask(settings, {.messages = 20}) == 5);
  CHECK(messages_to_ask(BatchSettings{.batch_size = 1}, {}) == 1);
}

TEST_CASE("batch: ready when full, when the payload is full, or when the window runs out", "[event_source_mapping][conformance]")
{
  // AWS Lambda with SQS (with-sqs.html): the poller invokes when the batch size is reached, the
  // batching window expires, or the payload reaches 6 MB.
  BatchSettings settings{.batch_size = 25, .window_s = 2};
  CHECK_FALSE(is_batch_ready(settings, {.messages = 0, .first_s = 0}, 100));
  CHECK_FALSE(is_batch_ready(settings, {.messages = 12, .first_s = 10}, 11.5));
  CHECK(is_batch_ready(settings, {.messages = 12, .first_s = 10}, 12));
  CHECK(is_batch_ready(settings, {.messages = 25, .first_s = 10}, 10));
  CHECK(is_batch_ready(settings, {.messages = 3, .size_bytes = 6291456, .first_s = 10}, 10));
  BatchSettings no_window{.batch_size = 10};
  CHECK(is_batch_ready(no_window, {.messages = 1, .first_s = 5}, 5));
}

TEST_CASE("batch: a failed batch returns whole without partial batch responses", "[event_source_mapping][conformance]")
{
  // AWS Lambda with SQS (with-sqs.html): by default, when the function fails, every message of the
  // batch becomes visible again after the visibility timeout.
  CHECK(messages_to_delete({false, true, false}, true, false, false) == std::vector<bool>{false, false, false});
  CHECK(messages_to_delete({false, false}, false, true, false) == std::vector<bool>{false, false});
  CHECK(messages_to_delete({false, false}, true, false, false) == std::vector<bool>{true, true});
}

TEST_CASE("batch: partial batch responses return only the failed items, and on FIFO all after the first", "[event_source_mapping][conformance]")
{
  // AWS Lambda with SQS (with-sqs.html), ReportBatchItemFailures: only the reported messages
  // return; for a FIFO queue the handler stops at the first failure and reports the rest too.
  CHECK(messages_to_delete({false, true, false}, true, true, false) == std::vector<bool>{true, false, true});
  CHECK(messages_to_delete({false, true, false}, true, true, true) == std::vector<bool>{true, false, false});
  CHECK(messages_to_delete({true, false}, false, true, true) == std::vector<bool>{false, false});
}

TEST_CASE("visibility timeout: AWS advises 6 x the function timeout plus the batching window", "[event_source_mapping][conformance]")
{
  // AWS Lambda with SQS (with-sqs.html): set the source queue's visibility timeout to at least six
  // times the function timeout, plus the value of MaximumBatchingWindowInSeconds.
  CHECK(recommended_visibility_timeout_s(120, 0) == 720);
  CHECK(recommended_visibility_timeout_s(30, 5) == 185);
}

}  // namespace archlab
