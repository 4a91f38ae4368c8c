// Asynchronous invokes: Lambda's internal event queue, its retries and the on-failure destination.
#include "sim/components/function/function.hpp"

#include "sim/core/world.hpp"

namespace archlab {

namespace {
const Operation& send_operation()
{
  static const Operation send = *Operation::find("send");  // the queue's, declared with its type
  return send;
}
const Operation& invoke_async_operation()
{
  static const Operation invoke_async = Operation::named("invoke_async");
  return invoke_async;
}
}  // namespace

void Function::queue_event(const Request& request)
{
  std::int64_t event;
  if (!free_events_.empty()) {
    event = free_events_.back();
    free_events_.pop_back();
  } else {
    event = static_cast<std::int64_t>(events_.size());
    events_.emplace_back();
  }
  Event& held = events_[event];
  held = Event{};
  held.request = request;
  held.request.timeout = {};
  held.queued_s = clock().now();
  held.is_in_use = true;
  ++events_received_;
  // Lambda answers the sender (202) and runs the event later: never inside the sender's call.
  clock().after(0, [this, event] { try_event(event); });
}

void Function::try_event(std::int64_t event)
{
  invoke(Call{&events_[event].request, &nobody_listens(), 0, invoke_async_operation(), nullptr}, event);
}

void Function::event_finished(std::int64_t event, Outcome outcome)
{
  if (outcome == Outcome::ok) {
    ++events_succeeded_;
    release_event(event);
    return;
  }
  Event& held = events_[event];
  follow(event, after_function_error(async_settings_, held.queued_s, clock().now(), ++held.errors));
}

void Function::event_throttled(std::int64_t event)
{
  Event& held = events_[event];
  if (reserved_ && *reserved_ == 0) {  // AWS: with reserved concurrency 0 events go straight to the destination
    give_up(event);
    return;
  }
  follow(event, after_throttle(async_settings_, held.queued_s, clock().now(), ++held.throttles));
}

void Function::follow(std::int64_t event, const AsyncDecision& decision)
{
  double delay_s = decision.at_s - clock().now();
  if (decision.step == AsyncStep::retry) {
    ++async_retries_;
    clock().after(delay_s, [this, event] { try_event(event); });
    return;
  }
  if (decision.step == AsyncStep::aged_out)
    ++events_aged_out_;
  clock().after(delay_s, [this, event] { give_up(event); });
}

void Function::give_up(std::int64_t event)
{
  if (!on_failure_) {
    ++events_dropped_;
    world_.log().add(clock().now(), id(), "async event given up and dropped (no on_failure)");
    release_event(event);
    return;
  }
  ++events_to_destination_;
  // Held until the queue has answered: it reads the request when it takes the message.
  on_failure_->accept(Call{&events_[event].request, this, on_failure_tag | static_cast<std::uint64_t>(event), send_operation()});
}

void Function::release_event(std::int64_t event)
{
  events_[event].is_in_use = false;
  free_events_.push_back(event);
}

}  // namespace archlab
