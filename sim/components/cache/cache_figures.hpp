// What a cache or a CDN tells of its gets, after the warm-up: hits (and those that served a stale
// copy), misses, origin requests, evictions, and the age of what was served (a miss serves a copy
// of age 0, fresh from the origin, as CloudFront's Age header says).
#pragma once

#include "sim/metrics/histogram.hpp"

#include <cstdint>
#include <nlohmann/json.hpp>

namespace archlab {

struct CacheFigures {
  std::uint64_t hits = 0;
  std::uint64_t stale_hits = 0;
  std::uint64_t misses = 0;
  std::uint64_t origin_requests = 0;
  std::uint64_t origin_failures = 0;
  std::uint64_t evictions = 0;
  std::uint64_t expirations = 0;  // gets that found only an expired copy
  Histogram served_age_s{64};

  void hit(bool is_stale, double age_s)
  {
    ++hits;
    stale_hits += is_stale;
    served_age_s.record(age_s);
  }
  void miss() { ++misses; }
  void served_from_origin() { served_age_s.record(0); }
  void add_to(nlohmann::json& summary) const;
};

}  // namespace archlab
