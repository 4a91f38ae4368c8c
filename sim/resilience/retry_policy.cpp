#include "sim/resilience/retry_policy.hpp"

#include <iterator>

namespace archlab {

bool RetrySettings::retries(Outcome outcome) const
{
  switch (outcome) {
    case Outcome::ok: return false;
    case Outcome::failed: return retries_failed;
    case Outcome::timed_out: return retries_timed_out;
    case Outcome::rejected: return retries_rejected;
  }
  return false;
}

namespace {
constexpr const char* budget_names_in_order[] = {"none", "sdk_standard", "sdk_2026"};
}

const char* retry_budget_name(RetryBudget budget) { return budget_names_in_order[static_cast<int>(budget)]; }

std::optional<RetryBudget> retry_budget_from_name(const std::string& name)
{
  for (int i = 0; i < static_cast<int>(std::size(budget_names_in_order)); ++i)
    if (name == budget_names_in_order[i])
      return static_cast<RetryBudget>(i);
  return std::nullopt;
}

std::vector<std::string> retry_budget_names() { return {std::begin(budget_names_in_order), std::end(budget_names_in_order)}; }

std::optional<RetryQuotaSettings> quota_settings_for(RetryBudget budget)
{
  switch (budget) {
    case RetryBudget::none: return std::nullopt;
    case RetryBudget::sdk_standard: return RetryQuotaSettings{};
    case RetryBudget::sdk_2026: return sdk_2026_quota_settings();
  }
  return std::nullopt;
}

const char* retry_verdict_name(RetryVerdict verdict)
{
  switch (verdict) {
    case RetryVerdict::retry: return "retry";
    case RetryVerdict::succeeded: return "succeeded";
    case RetryVerdict::not_retried_outcome: return "not_retried_outcome";
    case RetryVerdict::out_of_attempts: return "out_of_attempts";
    case RetryVerdict::out_of_quota: return "out_of_quota";
  }
  return "?";
}

RetryDecision decide_after_attempt(const RetrySettings& settings, RetryState& state, Outcome outcome, RetryQuota* quota,
                                   double uniform01)
{
  ++state.attempts_made;
  RetryQuota* budget = settings.budget == RetryBudget::none ? nullptr : quota;
  if (outcome == Outcome::ok) {
    if (budget)
      budget->record_success(state.last_retry_cost_tokens);
    return {RetryVerdict::succeeded};
  }
  if (!settings.retries(outcome))
    return {RetryVerdict::not_retried_outcome};
  if (state.attempts_made >= settings.max_attempts)
    return {RetryVerdict::out_of_attempts};
  if (budget) {
    auto cost = budget->acquire(outcome);
    if (!cost)
      return {RetryVerdict::out_of_quota};
    state.last_retry_cost_tokens = *cost;
  }
  int retry_index = state.attempts_made - 1;
  state.last_delay_ms = backoff_delay_ms(settings.backoff, retry_index, state.last_delay_ms, uniform01);
  return {RetryVerdict::retry, state.last_delay_ms};
}

}  // namespace archlab
