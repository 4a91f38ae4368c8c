// An API Gateway authorizer's decisions, pure: which tokens have a cached result and until when
// (authorizerResultTtlInSeconds: 300 s by default, 0 turns caching off, at most 3,600 s), and which
// token a request presents.
#pragma once

#include <cstdint>
#include <unordered_map>

namespace archlab {

class AuthorizerCache {
public:
  explicit AuthorizerCache(double ttl_s) : ttl_s_(ttl_s) {}

  // A result stored at `stored_s` answers the same token until stored_s + ttl, not renewed by a hit.
  bool has_fresh(std::uint64_t token, double now_s) const;
  void store(std::uint64_t token, double now_s);

private:
  double ttl_s_;
  std::unordered_map<std::uint64_t, double> expires_s_;
};

// The token a request presents: its user's, when it has a key (the client's key space stands for its
// users), else one of `distinct_tokens` drawn from the uniform draw u in [0, 1).
std::uint64_t token_of(std::uint64_t request_key, std::uint64_t distinct_tokens, double uniform01);

}  // namespace archlab
