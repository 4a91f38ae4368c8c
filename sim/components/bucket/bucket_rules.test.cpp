// The bucket's pure rules: object names, notification filters, ambiguous configurations, storage.
#include "sim/components/bucket/bucket_rules.hpp"

#include <catch2/catch.hpp>

using namespace archlab;

TEST_CASE("bucket: an object is named from its kind's prefix, the request's key and its kind's suffix", "[bucket]")
{
  CHECK(object_name("clips/", 42, ".mp4") == "clips/42.mp4");
  CHECK(object_name("", 7, "") == "7");
}

TEST_CASE("S3 conformance: a notification filter matches on the key's prefix and suffix", "[bucket][conformance]")
{
  KeyFilter raw{"raw/", ".mp4"};
  CHECK(matches(raw, "raw/42.mp4"));
  CHECK_FALSE(matches(raw, "trimmed/42.mp4"));
  CHECK_FALSE(matches(raw, "raw/42.jpg"));
  CHECK(matches(KeyFilter{}, "anything"));
  // Prefix and suffix may not share characters of a short key.
  CHECK_FALSE(matches(KeyFilter{"ab", "bc"}, "abc"));
}

TEST_CASE("S3 conformance: overlapping filters for the same event type are refused, disjoint ones allowed", "[bucket][conformance]")
{
  CHECK(filters_overlap({"images/", ""}, {"images/", ".jpg"}));    // images/x.jpg matches both
  CHECK(filters_overlap({"", ".jpg"}, {"images/", ".jpg"}));
  CHECK(filters_overlap({"", ""}, {"raw/", ".mp4"}));
  CHECK_FALSE(filters_overlap({"images/", ""}, {"videos/", ""}));
  CHECK_FALSE(filters_overlap({"", ".jpg"}, {"", ".png"}));
  CHECK_FALSE(filters_overlap({"images/", ".jpg"}, {"images/", ".png"}));
}

TEST_CASE("bucket: storage is billed in GB-months of 730 hours", "[bucket]")
{
  double one_gb = 1024.0 * 1024 * 1024;
  CHECK(storage_gb_months(one_gb * seconds_per_billing_month) == Approx(1));
  CHECK(storage_gb_months(one_gb * 3600) == Approx(1.0 / 730));
}

TEST_CASE("conformance (S3: at least 3,500 writes a second per prefix, then 503 Slow Down): counted per second", "[bucket][conformance]")
{
  archlab::PrefixRate rate;
  int admitted = 0;
  for (int i = 0; i < 4000; ++i)
    admitted += archlab::admit_request(rate, 10.0 + i * 0.0002, 3500);  // 4,000 within 0.8 s
  CHECK(admitted == 3500);
  CHECK(archlab::admit_request(rate, 11.0, 3500));  // a new second
}
