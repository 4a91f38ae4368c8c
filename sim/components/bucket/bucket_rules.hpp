// The bucket's decisions, pure: what an object is called, which notification configurations an
// event matches, which configurations S3 refuses as ambiguous, and what storage is billed.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace archlab {

// A request's key is a number (the client's key space); the bucket names the object after it, with
// the prefix and suffix its request kind declares: "clips/" + 42 + ".mp4" = "clips/42.mp4".
std::string object_name(std::string_view prefix, std::uint64_t number, std::string_view suffix);
// The same with a writer's own mark after the number ("7-2"), so that each write names a new object.
std::string object_name(std::string_view prefix, std::uint64_t number, std::uint64_t write_mark, std::string_view suffix);

// One event notification configuration's filter (S3's prefix and suffix rules on the object key).
struct KeyFilter {
  std::string prefix;
  std::string suffix;
};
bool matches(const KeyFilter& filter, std::string_view name);
// S3 refuses two configurations for the same event type whose filters some key could match both
// ("Configuration is ambiguously defined"): one prefix starts the other and one suffix ends the other.
bool filters_overlap(const KeyFilter& a, const KeyFilter& b);

// S3's request rate per prefix: at least 3,500 PUT/COPY/POST/DELETE and 5,500 GET/HEAD a second
// (AWS); beyond it, 503 Slow Down. Counted in windows of one second, as a per-second rate is.
struct PrefixRate {
  std::int64_t second = -1;
  double requests = 0;
};
// Whether one more request fits the prefix's rate this second; counts it if it does.
bool admit_request(PrefixRate& rate, double now_s, double limit_per_s);

// Storage in GB-months from byte-seconds stored: AWS bills the average GB (2^30 bytes) held over a
// month of 730 hours.
constexpr double seconds_per_billing_month = 730.0 * 3600;
double storage_gb_months(double byte_seconds);

}  // namespace archlab
