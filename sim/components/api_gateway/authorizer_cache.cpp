#include "sim/components/api_gateway/authorizer_cache.hpp"

#include <algorithm>

namespace archlab {

bool AuthorizerCache::has_fresh(std::uint64_t token, double now_s) const
{
  auto found = expires_s_.find(token);
  return found != expires_s_.end() && now_s < found->second;
}

void AuthorizerCache::store(std::uint64_t token, double now_s)
{
  if (ttl_s_ > 0)
    expires_s_[token] = now_s + ttl_s_;
}

std::uint64_t token_of(std::uint64_t request_key, std::uint64_t distinct_tokens, double uniform01)
{
  if (request_key != 0)
    return request_key;
  return 1 + std::min(distinct_tokens - 1, static_cast<std::uint64_t>(uniform01 * static_cast<double>(distinct_tokens)));
}

}  // namespace archlab
