#include "sim/core/call_site.hpp"

#include "sim/core/slot_pool.hpp"

#include <algorithm>

namespace archlab {

namespace {
nlohmann::json latency_json(const Histogram& histogram)
{
  return {{"mean", histogram.mean() * 1e3}, {"p50", histogram.percentile(0.5) * 1e3}, {"p99", histogram.percentile(0.99) * 1e3},
          {"max", histogram.max() * 1e3}};
}
}  // namespace

Histogram& CallCounters::latency_of(Outcome outcome)
{
  switch (outcome) {
    case Outcome::ok: return latency_ok;
    case Outcome::failed: return latency_failed;
    case Outcome::timed_out: return latency_timed_out;
    case Outcome::rejected: return latency_rejected;
  }
  return latency_failed;
}

void CallCounters::merge(const CallCounters& other)
{
  calls += other.calls;
  attempts += other.attempts;
  retries += other.retries;
  ok += other.ok;
  failed += other.failed;
  timed_out += other.timed_out;
  rejected += other.rejected;
  short_circuited += other.short_circuited;
  bulkhead_rejected += other.bulkhead_rejected;
  fallbacks += other.fallbacks;
  delivered += other.delivered;
  latency_ok.merge(other.latency_ok);
  latency_failed.merge(other.latency_failed);
  latency_timed_out.merge(other.latency_timed_out);
  latency_rejected.merge(other.latency_rejected);
}

nlohmann::json CallCounters::to_json() const
{
  nlohmann::json out = {{"calls", calls}, {"attempts", attempts}, {"retries", retries}, {"ok", ok}, {"failed", failed},
                        {"timed_out", timed_out}, {"rejected", rejected}, {"short_circuited", short_circuited}};
  if (bulkhead_rejected)
    out["bulkhead_rejected"] = bulkhead_rejected;
  if (fallbacks)
    out["fallbacks"] = fallbacks;
  if (delivered)
    out["delivered"] = delivered;
  nlohmann::json latency = nlohmann::json::object();  // each outcome apart
  const std::pair<const char*, const Histogram*> by_outcome[] = {
      {"ok", &latency_ok}, {"failed", &latency_failed}, {"timed_out", &latency_timed_out}, {"rejected", &latency_rejected}};
  for (const auto& [name, histogram] : by_outcome)
    if (histogram->count())
      latency[name] = latency_json(*histogram);
  out["latency_ms"] = latency;
  return out;
}

CallSite::CallSite(Scheduler& scheduler, std::string callee_id, Endpoint& target, CallPolicy policy, Rng backoff_rng,
                   RetryQuota* quota, Endpoint* fallback_target, OperationCall operation, OperationCall fallback_operation)
    : scheduler_(scheduler),
      callee_id_(std::move(callee_id)),
      target_(target),
      policy_(std::move(policy)),
      backoff_rng_(backoff_rng),
      quota_(quota),
      fallback_target_(fallback_target),
      operation_(std::move(operation)),
      fallback_operation_(std::move(fallback_operation))
{
  if (policy_.circuit_breaker)
    breaker_.emplace(*policy_.circuit_breaker);
  if (policy_.bulkhead)
    bulkhead_.emplace(*policy_.bulkhead);
}

std::uint32_t CallSite::new_pending(const Call& call)
{
  std::uint32_t slot = take_slot(pending_, free_slots_);
  Pending& pending = pending_[slot];
  pending = Pending{};
  pending.owner_call = call;
  pending.is_in_use = true;
  return slot;
}

void CallSite::release_slot_if_done(std::uint32_t slot)
{
  if (!pending_[slot].is_in_use && pending_[slot].attempts_in_flight == 0)
    free_slots_.push_back(slot);
}

void CallSite::send(const Call& call)
{
  ++counters_.calls;
  if (operation_.is_one_way) {
    ++counters_.delivered;
    target_.accept(Call{call.request, &nobody_listens(), 0, operation_.operation, operation_.arguments.get()});
    return;
  }
  std::uint32_t slot = new_pending(call);
  if (bulkhead_) {
    switch (bulkhead_->admit(slot)) {
    case BulkheadAdmission::start: pending_[slot].is_in_bulkhead = true; break;
    case BulkheadAdmission::wait: return;  // started by release(), in arrival order
    case BulkheadAdmission::reject:
      ++counters_.bulkhead_rejected;
      give_final(slot, Outcome::rejected);
      return;
    }
  }
  start_attempt(slot);
}

void CallSite::send_attempt(std::uint32_t slot, Endpoint& target, const OperationCall& operation)
{
  Pending& pending = pending_[slot];
  pending.attempt_serial = next_serial_++;
  if (next_serial_ == 0)
    next_serial_ = 1;
  pending.attempt_started_s = scheduler_.now();
  pending.has_given_up_waiting = false;
  if (policy_.timeout_ms && !pending.is_fallback) {
    std::uint32_t serial = pending.attempt_serial;
    pending.timeout = scheduler_.after(*policy_.timeout_ms / 1000, [this, slot, serial] {
      if (pending_[slot].is_in_use && pending_[slot].attempt_serial == serial) {
        pending_[slot].timeout = {};
        pending_[slot].has_given_up_waiting = true;
        attempt_ended(slot, Outcome::timed_out);
      }
    });
  }
  std::uint64_t tag = (static_cast<std::uint64_t>(pending.attempt_serial) << 32) | slot;
  // An attempt that may be given up on (a timeout) carries a copy: its late answer then touches
  // nothing the owner still uses. Otherwise the owner waits for it, and its request outlives it.
  Request* carried = pending.owner_call.request;
  if (policy_.timeout_ms) {
    pending.attempt_request = *carried;
    carried = &pending.attempt_request;
  }
  ++pending.attempts_in_flight;
  target.accept(Call{carried, this, tag, operation.operation, operation.arguments.get()});  // may answer before it returns
}

void CallSite::start_attempt(std::uint32_t slot)
{
  Pending& pending = pending_[slot];
  if (breaker_) {
    pending.permit = breaker_->try_acquire(scheduler_.now());
    if (!pending.permit.is_permitted) {
      ++counters_.short_circuited;
      ++short_circuited_since_start_;
      give_final(slot, Outcome::rejected);
      return;
    }
  }
  ++counters_.attempts;
  if (pending.retry.attempts_made > 0)
    ++counters_.retries;
  send_attempt(slot, target_, operation_);
}

void CallSite::on_answer(const Call& attempt, const Answer& answer)
{
  auto slot = static_cast<std::uint32_t>(attempt.tag & 0xFFFFFFFFu);
  auto serial = static_cast<std::uint32_t>(attempt.tag >> 32);
  Pending& pending = pending_[slot];
  --pending.attempts_in_flight;
  if (!pending.is_in_use || pending.attempt_serial != serial) {
    ++late_answers_;
    release_slot_if_done(slot);
    return;  // the answer to an attempt that timed out: the call has moved on
  }
  scheduler_.cancel(pending.timeout);
  pending.timeout = {};
  if (pending.is_fallback) {
    answer_owner(slot, answer);
    return;
  }
  attempt_ended(slot, answer);
}

void CallSite::attempt_ended(std::uint32_t slot, const Answer& answer)
{
  Pending& pending = pending_[slot];
  Outcome outcome = answer.outcome;
  pending.attempt_serial = 0;  // a late answer to this attempt is ignored from now on
  double took_s = scheduler_.now() - pending.attempt_started_s;
  switch (outcome) {
  case Outcome::ok: ++counters_.ok; break;
  case Outcome::failed: ++counters_.failed; break;
  case Outcome::timed_out: ++counters_.timed_out; break;
  case Outcome::rejected: ++counters_.rejected; break;
  }
  if (keeps_latency_)
    counters_.latency_of(outcome).record(took_s);
  if (breaker_)
    breaker_->record(pending.permit, outcome, scheduler_.now());
  if (!policy_.retry) {
    give_final(slot, answer);
    return;
  }
  // Only a site with a retry policy draws from its backoff stream, so other runs keep their random numbers.
  RetryDecision decision = decide_after_attempt(*policy_.retry, pending.retry, outcome, quota_,
                                                outcome == Outcome::ok ? 0.0 : backoff_rng_.uniform01());
  if (!decision.is_retry()) {
    give_final(slot, answer);
    return;
  }
  scheduler_.after(decision.delay_ms / 1000, [this, slot] { start_attempt(slot); });
}

void CallSite::give_final(std::uint32_t slot, const Answer& answer)
{
  // A cache's miss goes to the fallback as a failure does: cache-aside, read from the database.
  if ((answer.outcome != Outcome::ok || answer.status == Status::miss) && fallback_target_) {
    Pending& pending = pending_[slot];
    pending.is_fallback = true;
    ++counters_.fallbacks;
    send_attempt(slot, *fallback_target_, fallback_operation_);
    return;
  }
  answer_owner(slot, answer);
}

void CallSite::answer_owner(std::uint32_t slot, const Answer& answer)
{
  Pending& pending = pending_[slot];
  Call owner_call = pending.owner_call;
  bool has_given_up_waiting = pending.has_given_up_waiting && answer.outcome == Outcome::timed_out;
  bool frees_bulkhead_slot = pending.is_in_bulkhead;
  pending.is_in_use = false;
  pending.attempt_serial = 0;
  release_slot_if_done(slot);
  if (frees_bulkhead_slot)
    if (auto next = bulkhead_->release()) {
      auto next_slot = static_cast<std::uint32_t>(*next);
      pending_[next_slot].is_in_bulkhead = true;
      // Started as its own event: the owner's answer below may send again through this site.
      scheduler_.after(0, [this, next_slot] { start_attempt(next_slot); });
    }
  has_given_up_waiting_ = has_given_up_waiting;
  owner_call.caller->on_answer(owner_call, answer);
  has_given_up_waiting_ = false;
}

}  // namespace archlab

#include "sim/core/registry.hpp"
#include "sim/core/world.hpp"

namespace archlab {

OperationCall operation_call(const Component& target, const nlohmann::json& call)
{
  OperationCall result{Operation::named(call.value("operation", "request")), nullptr};
  const auto* type = find_component_type(target.type());
  const auto* spec = type ? find_operation(*type, result.operation.name()) : nullptr;
  result.is_one_way = spec && spec->is_one_way;
  if (!spec || !spec->read_arguments)
    return result;
  auto arguments = nlohmann::json::object();
  for (const auto& argument : spec->arguments)
    if (call.contains(argument.name))
      arguments[argument.name] = call.at(argument.name);
    else if (!argument.default_value.is_null())
      arguments[argument.name] = argument.default_value;
  result.arguments = spec->read_arguments(arguments);
  return result;
}

CallSite& CallSites::add(World& world, const nlohmann::json& call, const std::string& stream)
{
  CallPolicy policy = read_call_policy(with_callee_default_retry(call, world.model().components()));
  RetryQuota* quota = nullptr;
  if (policy.retry)
    if (auto settings = quota_settings_for(policy.retry->budget)) {
      for (auto& [budget, shared] : quotas_)
        if (budget == policy.retry->budget)
          quota = shared.get();
      if (!quota) {
        quotas_.emplace_back(policy.retry->budget, std::make_unique<RetryQuota>(*settings));
        quota = quotas_.back().second.get();
      }
    }
  auto callee = call.at("target").get<std::string>();
  Component& target = world.component(callee);
  OperationCall operation = operation_call(target, call);
  Component* fallback = policy.fallback ? &world.component(policy.fallback->target) : nullptr;
  OperationCall fallback_operation = fallback ? operation_call(*fallback, call.at("fallback")) : OperationCall{};
  sites_.push_back(std::make_unique<CallSite>(world.scheduler(), callee, target, std::move(policy), world.rng(stream), quota, fallback,
                                              std::move(operation), std::move(fallback_operation)));
  return *sites_.back();
}

std::uint64_t CallSites::short_circuited_since_start() const
{
  std::uint64_t total = 0;
  for (const auto& site : sites_)
    total += site->short_circuited_since_start();
  return total;
}

void CallSites::restart_counters()
{
  for (auto& site : sites_)
    site->restart_counters();
}

nlohmann::json CallSites::summary() const
{
  std::vector<std::pair<std::string, CallCounters>> by_callee;
  for (const auto& site : sites_) {
    auto found = std::find_if(by_callee.begin(), by_callee.end(), [&](const auto& entry) { return entry.first == site->callee_id(); });
    if (found == by_callee.end())
      by_callee.emplace_back(site->callee_id(), site->counters());
    else
      found->second.merge(site->counters());
  }
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [callee, counters] : by_callee)
    out[callee] = counters.to_json();
  return out;
}

}  // namespace archlab
