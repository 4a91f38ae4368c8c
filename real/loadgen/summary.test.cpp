#include <catch2/catch.hpp>

#include "summary.hpp"

using namespace archlab::loadgen;

namespace {

JobOutcome finished(double scheduled_s, double seen_s, JobEnd end, std::optional<std::int64_t> submitted_ms,
                    std::optional<std::int64_t> started_ms, std::optional<std::int64_t> finished_ms)
{
  StatusDocument document;
  document.status = end == JobEnd::completed ? Status::executed : Status::failed;
  document.submitted_at_ms = submitted_ms;
  document.started_at_ms = started_ms;
  document.finished_at_ms = finished_ms;
  return {scheduled_s, end, seen_s, document};
}

}  // namespace

TEST_CASE("summary: counts add up to submitted and throughput is completed over duration", "[loadgen]")
{
  std::vector<JobOutcome> jobs = {
      finished(0, 1.0, JobEnd::completed, 1000, 1100, 1300),
      finished(1, 2.5, JobEnd::completed, 2000, 2500, 3000),
      finished(2, 3.0, JobEnd::failed, 3000, 3200, 3400),
      {3, JobEnd::unfinished, std::nullopt, std::nullopt},
      {4, JobEnd::submit_error, std::nullopt, std::nullopt},
  };
  auto json = jobs_summary(jobs, 10);
  CHECK(json["submitted"] == 5);
  CHECK(json["completed"] == 2);
  CHECK(json["failed"] == 1);
  CHECK(json["unfinished"] == 1);
  CHECK(json["errors"] == 1);
  CHECK(json["throughput_per_s"].get<double>() == Approx(0.2));
  // Server times: latency of completed jobs 0.3 and 1.0 s.
  CHECK(json["latency_source"] == "server");
  CHECK(json["latency_s"]["mean"].get<double>() == Approx(0.65));
  CHECK(json["latency_s"]["max"].get<double>() == Approx(1.0));
  // Queue wait and run time cover failed jobs too: 0.1, 0.5, 0.2 and 0.2, 0.5, 0.2.
  CHECK(json["queue_wait_s"]["p50"].get<double>() == Approx(0.2));
  CHECK(json["queue_wait_s"]["max"].get<double>() == Approx(0.5));
  // Whole milliseconds, so grouped: two of three in the 200 ms group, the median 3/4 into it.
  CHECK(json["run_s"]["p50"].get<double>() == Approx(0.19950 + 0.001 * 0.75));
  // Client view: seen - scheduled = 1.0, 1.5, 1.0.
  CHECK(json["seen_latency_s"]["max"].get<double>() == Approx(1.5));
}

TEST_CASE("summary: without server times latency is the client's and the splits are null", "[loadgen]")
{
  std::vector<JobOutcome> jobs = {finished(0, 5.2, JobEnd::completed, std::nullopt, std::nullopt, std::nullopt)};
  auto json = jobs_summary(jobs, 1);
  CHECK(json["latency_source"] == "client");
  CHECK(json["latency_s"]["p50"].get<double>() == Approx(5.2));
  CHECK(json["queue_wait_s"]["p50"].is_null());
  CHECK(json["run_s"]["max"].is_null());
  jobs.push_back(finished(1, 2, JobEnd::completed, 10, 20, 30));
  CHECK(jobs_summary(jobs, 1)["latency_source"] == "mixed");
}

TEST_CASE("summary: an empty run has zero counts and null figures", "[loadgen]")
{
  auto json = jobs_summary({}, 0);
  CHECK(json["submitted"] == 0);
  CHECK(json["throughput_per_s"].get<double>() == 0);
  CHECK(json["latency_s"]["mean"].is_null());
}

TEST_CASE("summary: http, load and verify sections", "[loadgen]")
{
  HttpCounts counts;
  counts.status_counts[200] = 7;
  counts.status_counts[503] = 1;
  counts.transport_errors = 2;
  counts.submit_requests = 3;
  auto http = http_summary(counts);
  CHECK(http["status_counts"]["200"] == 7);
  CHECK(http["status_counts"]["503"] == 1);
  CHECK(http["transport_errors"] == 2);
  CHECK(http["requests"]["submit"] == 3);
  CHECK(http_summary({})["status_counts"].is_object());

  LoadSettings settings{20, 30, "poisson", 9, 0.2, 60, 64, 10, "http://127.0.0.1:1"};
  auto load = load_summary(settings, {31.5, 0.01, 0.001, 1.7e9});
  CHECK(load["rate_per_s"].get<double>() == 20);
  CHECK(load["started_at_unix_s"].get<double>() == 1.7e9);
  CHECK(load["arrivals"] == "poisson");
  CHECK(load["wall_s"].get<double>() == 31.5);

  auto verify = verify_summary({4, 3, 1, 0});
  CHECK(verify["checked"] == 4);
  CHECK(verify["changed"] == 1);
}
