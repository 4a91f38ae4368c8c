#include "sim/components/queue/queue_core.hpp"

#include <catch2/catch.hpp>

using namespace archlab;

namespace {
QueueSettings standard() { return QueueSettings{.short_poll_miss_probability = 0}; }
QueueSettings fifo()
{
  QueueSettings settings = standard();
  settings.is_fifo = true;
  return settings;
}
ReceiveResult long_poll(QueueCore& queue, int max_messages, double now_s, std::optional<double> visibility_s = std::nullopt)
{
  static Rng rng(7);
  return queue.receive(max_messages, visibility_s, false, now_s, rng);
}
std::vector<std::uint64_t> jobs_of(const ReceiveResult& result)
{
  std::vector<std::uint64_t> jobs;
  for (const auto& message : result.messages)
    jobs.push_back(message.job);
  return jobs;
}
}  // namespace

TEST_CASE("SQS: a received message stays invisible for the visibility timeout, then is visible again", "[queue]")
{
  QueueCore queue(standard());
  queue.send(1, 0);
  auto received = long_poll(queue, 1, 1);
  REQUIRE(received.messages.size() == 1);
  CHECK(queue.visible() == 0);
  CHECK(queue.in_flight() == 1);
  CHECK(queue.next_due_s() == 31);
  queue.advance(30.999);
  CHECK(queue.visible() == 0);
  queue.advance(31);
  CHECK(queue.visible() == 1);
  auto events = queue.take_events();
  REQUIRE(events.size() == 1);
  CHECK(events[0].kind == QueueEvent::Kind::visible_again);
  CHECK(events[0].at_s == 31);
}

TEST_CASE("SQS: the receive count rises on every receive and each receive gets a new receipt", "[queue]")
{
  QueueCore queue(standard());
  queue.send(1, 0);
  auto first = long_poll(queue, 1, 0, 10.0);
  auto second = long_poll(queue, 1, 10, 10.0);
  REQUIRE(second.messages.size() == 1);
  CHECK(first.messages[0].receive_count == 1);
  CHECK(second.messages[0].receive_count == 2);
  CHECK(second.redelivered == 1);
  CHECK(first.messages[0].receipt != second.messages[0].receipt);
}

TEST_CASE("SQS ChangeMessageVisibility: the new timeout counts from the moment of the call", "[queue]")
{
  QueueCore queue(standard());
  queue.send(1, 0);
  auto receipt = long_poll(queue, 1, 0).messages[0].receipt;
  CHECK(queue.change_visibility(receipt, 5, 10));
  CHECK(queue.next_due_s() == 15);
  CHECK_FALSE(queue.change_visibility(receipt, 43200, 12));  // past 12 h since the receive
  CHECK(queue.next_due_s() == 15);
}

TEST_CASE("SQS ChangeMessageVisibility: a stale receipt or a message not in flight is ignored", "[queue]")
{
  QueueCore queue(standard());
  queue.send(1, 0);
  auto old_receipt = long_poll(queue, 1, 0, 1.0).messages[0].receipt;
  queue.advance(1);
  CHECK_FALSE(queue.change_visibility(old_receipt, 100, 1));  // visible again: not in flight
  long_poll(queue, 1, 2, 1.0);
  CHECK_FALSE(queue.change_visibility(old_receipt, 100, 2));  // received again since
  CHECK(queue.next_due_s() == 3);
}

TEST_CASE("SQS redrive: the receive after maxReceiveCount moves the message to the dead-letter queue", "[queue]")
{
  QueueSettings settings = standard();
  settings.max_receive_count = 2;
  QueueCore queue(settings);
  queue.send(1, 0);
  queue.send(2, 0.5);
  CHECK(long_poll(queue, 1, 1, 10.0).messages[0].job == 1);
  CHECK(long_poll(queue, 1, 11, 10.0).messages[0].job == 1);
  queue.advance(21);
  CHECK(queue.visible() == 2);  // the move waits for a receive (AWS), not the timeout
  auto third = long_poll(queue, 1, 30, 10.0);
  REQUIRE(third.dead_letters.size() == 1);
  CHECK(third.dead_letters[0].job == 1);
  CHECK(third.dead_letters[0].receive_count == 2);
  CHECK(third.dead_letters[0].sent_s == 0);
  CHECK(jobs_of(third) == std::vector<std::uint64_t>{2});  // the receive goes on looking
  CHECK(queue.stored() == 1);
}

TEST_CASE("SQS dead-letter queue: the retention clock keeps the original enqueue time", "[queue]")
{
  QueueSettings settings = standard();
  settings.retention_s = 100;
  QueueCore dlq(settings);
  dlq.take_dead_letter({.message = 9, .job = 4, .sent_s = 0, .receive_count = 3}, 50);
  CHECK(dlq.visible() == 1);
  CHECK(dlq.next_due_s() == 100);
  dlq.advance(100);
  CHECK(dlq.stored() == 0);
  dlq.take_dead_letter({.message = 10, .job = 5, .sent_s = 0, .receive_count = 3}, 150);  // too old already
  CHECK(dlq.stored() == 0);
  auto events = dlq.take_events();
  REQUIRE(events.size() == 2);
  CHECK(events[1].kind == QueueEvent::Kind::expired);
  CHECK(events[1].job == 5);
}

TEST_CASE("SQS retention: messages older than the retention period are deleted, in flight or not", "[queue]")
{
  QueueSettings settings = standard();
  settings.retention_s = 60;
  QueueCore queue(settings);
  queue.send(1, 0);
  queue.send(2, 10);
  long_poll(queue, 1, 20, 100.0);
  queue.advance(60);
  CHECK(queue.stored() == 1);
  CHECK(queue.in_flight() == 0);
  queue.advance(70);
  CHECK(queue.stored() == 0);
  CHECK(queue.next_due_s() == std::numeric_limits<double>::infinity());
}

TEST_CASE("SQS delay queue: a message stays invisible for delay_s after its send", "[queue]")
{
  QueueSettings settings = standard();
  settings.delay_s = 5;
  QueueCore queue(settings);
  auto sent = queue.send(1, 2);
  CHECK(sent.visible_s == 7);
  CHECK(queue.visible() == 0);
  CHECK(queue.delayed() == 1);
  CHECK(long_poll(queue, 1, 6.9).messages.empty());
  CHECK(long_poll(queue, 1, 7).messages.size() == 1);
}

TEST_CASE("SQS FIFO: a group stays blocked while its batch is in flight", "[queue]")
{
  QueueCore queue(fifo());
  for (std::uint64_t job = 1; job <= 3; ++job)
    queue.send(job, 0);
  auto first = long_poll(queue, 1, 1);
  CHECK(jobs_of(first) == std::vector<std::uint64_t>{1});
  CHECK_FALSE(queue.has_receivable());
  CHECK(long_poll(queue, 10, 2).messages.empty());
  CHECK(queue.delete_message(first.messages[0].receipt, 3) == DeleteResult::deleted);
  CHECK(jobs_of(long_poll(queue, 10, 4)) == std::vector<std::uint64_t>{2, 3});
}

TEST_CASE("SQS FIFO: a receive takes one group's messages first and mixes in other groups only when fewer are available", "[queue]")
{
  QueueSettings settings = fifo();
  settings.is_group_per_job = true;
  settings.is_dedup_per_job = false;
  QueueCore queue(settings);
  for (std::uint64_t job : {7, 8, 7, 8, 7})
    queue.send(job, 0);
  CHECK(jobs_of(long_poll(queue, 2, 1)) == std::vector<std::uint64_t>{7, 7});
  CHECK(jobs_of(long_poll(queue, 10, 1)) == std::vector<std::uint64_t>{8, 8});  // group 7 is blocked
  QueueCore other(settings);
  for (std::uint64_t job : {7, 8, 7, 8})
    other.send(job, 0);
  CHECK(jobs_of(long_poll(other, 3, 1)) == std::vector<std::uint64_t>{7, 7, 8});
}

TEST_CASE("SQS FIFO: a group per key orders each key's messages and lets other keys by", "[queue]")
{
  QueueSettings settings = fifo();
  settings.is_group_per_key = true;
  settings.is_dedup_per_job = false;
  QueueCore queue(settings);
  for (std::uint64_t key : {7, 8, 7, 0, 0})
    queue.send(0, 0, MessageBody{.key = key});
  auto first = long_poll(queue, 1, 1);
  REQUIRE(first.messages.size() == 1);
  CHECK(first.messages[0].body.key == 7);
  auto rest = long_poll(queue, 10, 1);  // key 7's second waits behind its first; 8 and the keyless ones go
  std::vector<std::uint64_t> keys;
  for (const auto& message : rest.messages)
    keys.push_back(message.body.key);
  CHECK(keys == std::vector<std::uint64_t>{8, 0, 0});
}

TEST_CASE("SQS FIFO: redelivered messages go back to the head of their group, in order", "[queue]")
{
  QueueCore queue(fifo());
  for (std::uint64_t job = 1; job <= 4; ++job)
    queue.send(job, 0);
  auto batch = long_poll(queue, 2, 0, 10.0);
  CHECK(batch.messages.size() == 2);
  CHECK(queue.change_visibility(batch.messages[1].receipt, 20, 0));
  queue.advance(10);  // message 1 is visible again, message 2 still in flight: the group stays blocked
  CHECK(long_poll(queue, 10, 10).messages.empty());
  auto again = long_poll(queue, 10, 20);
  CHECK(jobs_of(again) == std::vector<std::uint64_t>{1, 2, 3, 4});
  CHECK(again.redelivered == 2);
}

TEST_CASE("SQS FIFO: a duplicate sent within the 5-minute deduplication window is accepted but not delivered", "[queue]")
{
  QueueCore queue(fifo());
  CHECK(queue.send(1, 0).is_enqueued);
  auto receipt = long_poll(queue, 1, 1).messages[0].receipt;
  queue.delete_message(receipt, 2);
  CHECK_FALSE(queue.send(1, 100).is_enqueued);  // tracked even after the delete
  CHECK_FALSE(queue.send(1, 299.9).is_enqueued);
  CHECK(queue.stored() == 0);
  CHECK(queue.send(1, 300).is_enqueued);  // the window runs from the first send
  CHECK(queue.send(0, 301).is_enqueued);  // no job, no deduplication ID
  CHECK(queue.send(0, 302).is_enqueued);
}

TEST_CASE("SQS delete: a stale receipt fails on FIFO and still deletes on a standard queue", "[queue]")
{
  for (bool is_fifo : {true, false}) {
    QueueCore queue(is_fifo ? fifo() : standard());
    queue.send(1, 0);
    auto old_receipt = long_poll(queue, 1, 0, 1.0).messages[0].receipt;
    auto new_receipt = long_poll(queue, 1, 1, 1.0).messages[0].receipt;
    CHECK(queue.delete_message(old_receipt, 1.5) == (is_fifo ? DeleteResult::stale : DeleteResult::deleted));
    CHECK(queue.delete_message(new_receipt, 1.5) == (is_fifo ? DeleteResult::deleted : DeleteResult::gone));
    CHECK(queue.stored() == 0);
  }
}

TEST_CASE("SQS standard: a message received 3 or more times goes to the back of the queue", "[queue]")
{
  QueueCore queue(standard());
  queue.send(1, 0);
  queue.send(2, 0);
  for (double now_s : {0.0, 1.0})
    CHECK(jobs_of(long_poll(queue, 1, now_s, 1.0)) == std::vector<std::uint64_t>{1});  // keeps its place
  CHECK(jobs_of(long_poll(queue, 1, 2, 1.0)) == std::vector<std::uint64_t>{1});
  CHECK(jobs_of(long_poll(queue, 2, 3, 1.0)) == std::vector<std::uint64_t>{2, 1});  // third receive: to the back
}

TEST_CASE("SQS standard: a short poll can miss messages when fewer than 1000 are stored, a long poll never does", "[queue]")
{
  QueueSettings settings = standard();
  settings.short_poll_miss_probability = 0.5;
  QueueCore queue(settings);
  for (std::uint64_t job = 1; job <= 10; ++job)
    queue.send(job, 0);
  Rng rng(3);
  std::size_t got = 0;
  for (int poll = 0; poll < 20; ++poll)
    got += queue.receive(10, 0.0, true, poll, rng).messages.size();
  CHECK(got < 200);
  CHECK(got > 50);
  CHECK(queue.receive(10, 0.0, false, 100, rng).messages.size() == 10);
  for (std::uint64_t job = 11; job <= 1000; ++job)
    queue.send(job, 101);
  CHECK(queue.receive(10, 0.0, true, 101, rng).messages.size() == 10);  // 1000 stored: every server has plenty
}

TEST_CASE("SQS: at the in-flight limit receives get nothing (a standard short poll: OverLimit)", "[queue]")
{
  QueueSettings settings = standard();
  settings.in_flight_limit = 2;
  QueueCore queue(settings);
  for (std::uint64_t job = 1; job <= 3; ++job)
    queue.send(job, 0);
  auto first = long_poll(queue, 10, 0);
  CHECK(first.messages.size() == 2);
  CHECK_FALSE(queue.has_receivable());
  auto second = long_poll(queue, 10, 1);
  CHECK(second.messages.empty());
  CHECK(second.is_over_limit);
  queue.delete_message(first.messages[0].receipt, 2);
  CHECK(queue.has_receivable());
  CHECK(long_poll(queue, 10, 2).messages.size() == 1);
}

TEST_CASE("SQS: a receive with visibility timeout 0 counts a receive but leaves the message visible", "[queue]")
{
  QueueSettings settings = standard();
  settings.max_receive_count = 2;
  QueueCore queue(settings);
  queue.send(1, 0);
  CHECK(long_poll(queue, 10, 1, 0.0).messages.size() == 1);
  CHECK(long_poll(queue, 10, 1, 0.0).messages[0].receive_count == 2);
  queue.advance(1);
  CHECK(queue.visible() == 1);
  auto peek = long_poll(queue, 10, 2, 0.0);  // peeking used up the receives: moved to the DLQ
  CHECK(peek.messages.empty());
  CHECK(peek.dead_letters.size() == 1);
}

TEST_CASE("SQS FIFO: messages of a group in the dead-letter queue stay in their group", "[queue]")
{
  QueueSettings settings = fifo();
  settings.is_group_per_job = true;
  QueueCore dlq(settings);
  dlq.take_dead_letter({.message = 1, .job = 3, .group = 3, .sent_s = 0}, 1);
  dlq.take_dead_letter({.message = 2, .job = 4, .group = 4, .sent_s = 0}, 1);
  CHECK(jobs_of(long_poll(dlq, 10, 2)) == std::vector<std::uint64_t>{3, 4});  // two groups, mixed
}

TEST_CASE("SQS: a message's body (item key, size, kind) comes back with it, also from the dead-letter queue", "[queue]")
{
  QueueSettings settings = standard();
  settings.max_receive_count = 1;
  QueueCore queue(settings);
  queue.send(5, 0, MessageBody{.key = 42, .size_bytes = 70000, .kind = 3});
  auto first = long_poll(queue, 1, 1, 10.0);
  REQUIRE(first.messages.size() == 1);
  CHECK(first.messages[0].body.key == 42);
  CHECK(first.messages[0].body.size_bytes == 70000);
  CHECK(first.messages[0].body.kind == 3);
  auto second = long_poll(queue, 1, 20, 10.0);  // received once already: redriven
  REQUIRE(second.dead_letters.size() == 1);
  QueueCore dlq(standard());
  dlq.take_dead_letter(second.dead_letters[0], 20);
  auto from_dlq = long_poll(dlq, 1, 21);
  REQUIRE(from_dlq.messages.size() == 1);
  CHECK(from_dlq.messages[0].body.key == 42);
  CHECK(from_dlq.messages[0].job == 5);
}

