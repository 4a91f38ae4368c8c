#include "sim/components/bucket/bucket_rules.hpp"

#include <cmath>

namespace archlab {

std::string object_name(std::string_view prefix, std::uint64_t number, std::string_view suffix)
{
  std::string name(prefix);
  name += std::to_string(number);
  name += suffix;
  return name;
}

std::string object_name(std::string_view prefix, std::uint64_t number, std::uint64_t write_mark, std::string_view suffix)
{
  return object_name(prefix, number, "-" + std::to_string(write_mark) + std::string(suffix));
}

bool matches(const KeyFilter& filter, std::string_view name)
{
  return name.size() >= filter.prefix.size() + filter.suffix.size() && name.starts_with(filter.prefix) && name.ends_with(filter.suffix);
}

namespace {
bool one_starts_the_other(std::string_view a, std::string_view b) { return a.starts_with(b) || b.starts_with(a); }
bool one_ends_the_other(std::string_view a, std::string_view b) { return a.ends_with(b) || b.ends_with(a); }
}  // namespace

bool filters_overlap(const KeyFilter& a, const KeyFilter& b)
{
  return one_starts_the_other(a.prefix, b.prefix) && one_ends_the_other(a.suffix, b.suffix);
}

bool admit_request(PrefixRate& rate, double now_s, double limit_per_s)
{
  auto second = static_cast<std::int64_t>(std::floor(now_s));
  if (second != rate.second) {
    rate.second = second;
    rate.requests = 0;
  }
  if (rate.requests + 1 > limit_per_s)
    return false;
  rate.requests += 1;
  return true;
}

double storage_gb_months(double byte_seconds)
{
  return byte_seconds / (1024.0 * 1024 * 1024) / seconds_per_billing_month;
}

}  // namespace archlab
