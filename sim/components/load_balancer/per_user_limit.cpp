#include "sim/components/load_balancer/per_user_limit.hpp"

namespace archlab {

bool PerUserLimit::admit(std::uint32_t user, double now_s)
{
  if (user == 0)
    return true;
  auto [last, is_first] = last_admitted_s_.try_emplace(user, now_s);
  if (is_first)
    return true;
  if (now_s - last->second < min_interval_s_)
    return false;
  last->second = now_s;
  return true;
}

}  // namespace archlab
