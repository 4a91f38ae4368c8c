// A per-user rate limit at the front door, the pixel board's own rule: a user's request is refused
// when their last admitted one was less than `min_interval_s` ago (the check of the user's last write
// time, done before anything else is touched). Refused requests do not move the user's last time.
#pragma once

#include <cstdint>
#include <unordered_map>

namespace archlab {

class PerUserLimit {
public:
  explicit PerUserLimit(double min_interval_s) : min_interval_s_(min_interval_s) {}
  // Whether `user`'s request now is admitted (and remembered); user 0 (nobody in particular) always is.
  bool admit(std::uint32_t user, double now_s);

private:
  double min_interval_s_;
  std::unordered_map<std::uint32_t, double> last_admitted_s_;
};

}  // namespace archlab
