// A token bucket: tokens accrue at `rate_per_s` up to `capacity`, and a request goes through only
// if it can take what it needs. API Gateway throttles with one (rate 10,000/s, burst 5,000); the
// DynamoDB table keeps its provisioned capacity and burst credit in one too. Pure: time comes in
// as an argument, so unit tests drive it without an engine.
#pragma once

#include <algorithm>

namespace archlab {

class TokenBucket {
public:
  TokenBucket() = default;
  // Starts with `initial_tokens` at time 0.
  TokenBucket(double rate_per_s, double capacity, double initial_tokens)
      : rate_per_s_(rate_per_s), capacity_(capacity), tokens_(std::min(initial_tokens, capacity))
  {
  }

  double tokens(double now_s) const { return std::min(capacity_, tokens_ + rate_per_s_ * (now_s - since_s_)); }
  bool has(double amount, double now_s) const { return tokens(now_s) >= amount - 1e-9; }  // unit sums drift by rounding
  void take(double amount, double now_s)
  {
    tokens_ = tokens(now_s) - amount;
    since_s_ = now_s;
  }
  bool try_take(double amount, double now_s)
  {
    if (!has(amount, now_s))
      return false;
    take(amount, now_s);
    return true;
  }

  double rate_per_s() const { return rate_per_s_; }
  double capacity() const { return capacity_; }

private:
  double rate_per_s_ = 0;
  double capacity_ = 0;
  double tokens_ = 0;
  double since_s_ = 0;
};

}  // namespace archlab
