// The S3 bucket on the test scheduler: who was answered when, which events were notified where.
#include "sim/components/bucket/bucket.hpp"
#include "sim/core/problems.hpp"
#include "sim/jobs/job_ledger.hpp"
#include "sim/testing/test_world.hpp"

#include <catch2/catch.hpp>

using archlab::BillingLine;
using archlab::Operation;
using archlab::Outcome;
using archlab::Request;
using archlab::Status;
using archlab::testing::Probe;
using archlab::testing::TestWorld;
using nlohmann::json;

namespace {
json constant_ms(double value) { return {{"dist", "constant"}, {"value", value}}; }

// A bucket `clips` naming uploads raw/<key>.mp4, its puts 30 ms and gets 20 ms before the transfer
// at 100 MB/s, notifications 1 s after the event; queues `q1`, `q2` (5 ms API calls), a topic `news`
// (publish 20 ms, delivery 50 ms) subscribed by `q2`.
json bucket_model(json notifications, json extra = json::object())
{
  json queue = {{"type", "queue"}, {"api_latency_ms", constant_ms(5)}};
  json bucket = {{"type", "bucket"},
                 {"object_keys", {{"upload", {{"prefix", "raw/"}, {"suffix", ".mp4"}}}}},
                 {"latency_ms", {{"get", constant_ms(20)}, {"put", constant_ms(30)}, {"delete", constant_ms(20)}, {"list", constant_ms(50)}}},
                 {"notification_delay_ms", constant_ms(1000)},
                 {"notifications", notifications}};
  bucket.update(extra);
  return {{"name", "bucket-test"},
          {"components",
           {{"clips", bucket},
            {"q1", queue},
            {"q2", queue},
            {"news", {{"type", "topic"}, {"subscriptions", {{{"target", "q2"}}}}, {"api_latency_ms", constant_ms(20)}, {"delivery_latency_ms", constant_ms(50)}}},
            {"api", {{"type", "service"}}}}},
          {"run", {{"duration_s", 100000}}}};
}

const json raw_videos_to_q1 = json::array({{{"events", {"put"}}, {"prefix", "raw/"}, {"suffix", ".mp4"}, {"target", "q1"}}});

// Sends `operation` about object `key` of request kind `kind` with `size_bytes`; the requests live as long as it.
struct Sender {
  TestWorld& test;
  Probe probe{test.scheduler()};
  std::vector<std::unique_ptr<Request>> requests;

  void send(std::uint64_t tag, const char* operation, const char* kind, std::uint64_t key, std::uint32_t size_bytes = 0)
  {
    requests.push_back(std::make_unique<Request>());
    Request& request = *requests.back();
    request.id = tag;
    request.kind = test.world().kind_id(kind);
    request.key = key;
    request.size_bytes = size_bytes;
    test.component("clips").accept({&request, &probe, tag, Operation::named(operation)});
  }
};

double visible(TestWorld& test, const std::string& queue) { return *test.component(queue).signal("visible_messages"); }

json bucket_figures(TestWorld& test)
{
  json summary;
  test.component("clips").add_summary(summary, test.scheduler().now());
  return summary;
}
}  // namespace

TEST_CASE("bucket: a put is answered after its latency and transfer, and its notification reaches the queue a delay later", "[bucket]")
{
  TestWorld test(bucket_model(raw_videos_to_q1));
  test.start();
  Sender sender{test};
  sender.send(1, "put", "upload", 42, 2'000'000);  // raw/42.mp4, 20 ms of transfer
  test.run_until(0.049);
  CHECK(sender.probe.answers.empty());
  test.run_until(0.051);
  REQUIRE(sender.probe.answers.size() == 1);
  CHECK(sender.probe.answers[0].at_s == Approx(0.05));
  CHECK(sender.probe.answers[0].outcome == Outcome::ok);
  test.run_until(1.049);
  CHECK(visible(test, "q1") == 0);
  test.run_until(1.051);  // the event at 0.05, its notification sent 1 s later and stored on arrival
  CHECK(visible(test, "q1") == 1);
  test.run_until(2);
  auto figures = bucket_figures(test);
  CHECK(figures.at("objects") == 1);
  CHECK(figures.at("stored_bytes") == 2'000'000);
  CHECK(figures.at("notifications")[0].at("delivered") == 1);
}

TEST_CASE("S3 conformance: an event whose key the filter does not match is not notified", "[bucket][conformance]")
{
  TestWorld test(bucket_model(raw_videos_to_q1));
  test.start();
  Sender sender{test};
  sender.send(1, "put", "thumbnail", 42);  // named "42": not under raw/, not .mp4
  sender.send(2, "delete", "upload", 7);   // a delete, and nothing to delete
  test.run_until(10);
  CHECK(sender.probe.answers.size() == 2);
  CHECK(visible(test, "q1") == 0);
  CHECK(bucket_figures(test).at("notifications")[0].at("sent") == 0);
}

TEST_CASE("S3 conformance: a read after a put sees the object (strong read-after-write consistency)", "[bucket][conformance]")
{
  TestWorld test(bucket_model(json::array()));
  test.start();
  Sender sender{test};
  sender.send(1, "get", "upload", 5);
  test.scheduler().at(1, [&] { sender.send(2, "put", "upload", 5, 1'000'000); });  // stored at 1.04
  test.scheduler().at(1.0400001, [&] { sender.send(3, "get", "upload", 5); });
  test.run_until(2);
  REQUIRE(sender.probe.answers.size() == 3);
  CHECK(sender.probe.answers[0].status == Status::not_found);
  CHECK(sender.probe.answers[2].status == Status::found);
  CHECK(sender.probe.answers[2].at_s == Approx(1.04 + 0.02 + 0.01).epsilon(1e-6));  // the 1 MB moves back at 100 MB/s
  sender.send(4, "delete", "upload", 5);
  test.run_until(3);
  CHECK(bucket_figures(test).at("objects") == 0);
}

TEST_CASE("bucket: a delete event through a topic reaches its subscribed queue", "[bucket]")
{
  TestWorld test(bucket_model(json::array({{{"events", {"delete"}}, {"target", "news"}, {"operation", "publish"}}})));
  test.start();
  Sender sender{test};
  sender.send(1, "put", "upload", 9, 100);
  test.scheduler().at(1, [&] { sender.send(2, "delete", "upload", 9); });  // event at 1.02, published at 2.02, answered 2.04, delivered 2.09
  test.run_until(2.089);
  CHECK(visible(test, "q2") == 0);
  test.run_until(2.091);
  CHECK(visible(test, "q2") == 1);
}

TEST_CASE("bucket: a duplicate probability sends some notifications twice", "[bucket]")
{
  TestWorld test(bucket_model(raw_videos_to_q1, {{"duplicate_probability", 0.5}}));
  test.start();
  Sender sender{test};
  for (std::uint64_t key = 1; key <= 200; ++key)
    sender.send(key, "put", "upload", key, 100);
  test.run_until(10);
  auto duplicates = bucket_figures(test).at("notifications")[0].at("duplicates").get<double>();
  CHECK(duplicates > 70);  // 100 expected; 5 standard deviations is about 35
  CHECK(duplicates < 130);
  CHECK(visible(test, "q1") == 200 + duplicates);
}

TEST_CASE("bucket: storage is billed in GB-months and requests by class", "[bucket]")
{
  TestWorld test(bucket_model(json::array(), {{"transfer_bytes_per_s", 1e12}}));
  test.start();
  Sender sender{test};
  sender.send(1, "put", "upload", 1, 1u << 30);  // 1 GiB, stored at about 0.03 s
  sender.send(2, "get", "upload", 1);
  test.run_until(730 * 3600);
  std::vector<BillingLine> billing;
  test.component("clips").add_billing(billing, 730 * 3600);
  REQUIRE(billing.size() == 3);
  CHECK(billing[0].item == "s3.standard.gb_month");
  CHECK(billing[0].quantity == Approx(1).epsilon(1e-6));
  CHECK(billing[1].quantity == 1);
  CHECK(billing[2].quantity == 1);
}

namespace {
std::vector<archlab::Problem> problems_of(json notifications)
{
  try {
    archlab::model_from_json(bucket_model(std::move(notifications)), "m.json");
  } catch (const archlab::InputError& error) {
    return error.problems();
  }
  return {};
}
}  // namespace

TEST_CASE("bucket: bad notification configurations are refused with their path", "[bucket]")
{
  SECTION("S3 conformance: overlapping filters for the same event")
  {
    auto problems = problems_of(json::array({{{"events", {"put"}}, {"prefix", "raw/"}, {"target", "q1"}},
                                             {{"events", {"put", "delete"}}, {"suffix", ".mp4"}, {"target", "q2"}}}));
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].path == "components.clips.notifications[1]");
  }
  SECTION("the same filters for different events are fine")
  {
    CHECK(problems_of(json::array({{{"events", {"put"}}, {"target", "q1"}}, {{"events", {"delete"}}, {"target", "q2"}}})).empty());
  }
  SECTION("an unknown event")
  {
    auto problems = problems_of(json::array({{{"events", {"copy"}}, {"target", "q1"}}}));
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].path == "components.clips.notifications[0].events[0]");
  }
  SECTION("a target that is not a queue, topic or function")
  {
    auto problems = problems_of(json::array({{{"events", {"put"}}, {"target", "api"}, {"operation", "request"}}}));
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].path == "components.clips.notifications[0].target");
  }
}

TEST_CASE("bucket: a put with unique_name leaves a second object for the same job, a plain put replaces it", "[bucket]")
{
  TestWorld test(bucket_model(json::array()));
  test.start();
  auto& jobs = archlab::jobs_of(test.world());
  auto renamed = jobs.create(0, true);
  auto replaced = jobs.create(0, true);
  archlab::ObjectPutArguments unique;
  unique.has_unique_name = true;
  Probe probe(test.scheduler());
  std::vector<std::unique_ptr<Request>> requests;
  auto put = [&](std::uint64_t job, const archlab::CallArguments* arguments) {
    requests.push_back(std::make_unique<Request>());
    requests.back()->job = job;
    test.component("clips").accept({requests.back().get(), &probe, job, Operation::named("put"), arguments});
  };
  put(renamed, &unique);
  put(renamed, &unique);
  put(replaced, nullptr);
  put(replaced, nullptr);
  test.run_until(10);
  REQUIRE(probe.answers.size() == 4);
  CHECK(jobs.has_duplicate_output(renamed));
  CHECK(!jobs.has_duplicate_output(replaced));
  CHECK(test.component("clips").signal("objects") == 3.0);
}

TEST_CASE("bucket: past its prefix's request rate a request is answered 503 Slow Down; another prefix has its own", "[bucket]")
{
  json extra = {{"prefix_write_rate_per_s", 2},
                {"object_keys", {{"upload", {{"prefix", "raw/"}, {"suffix", ".mp4"}}}, {"thumb", {{"prefix", "thumbs/"}, {"suffix", ".jpg"}}}}}};
  TestWorld test(bucket_model(json::array(), extra));
  Probe probe(test.scheduler());
  test.start();
  const Operation put = Operation::named("put");
  probe.prototype.kind = test.world().kind_id("upload");
  for (std::uint64_t tag = 1; tag <= 3; ++tag)
    probe.send(test.component("clips"), tag, put);
  probe.prototype.kind = test.world().kind_id("thumb");
  probe.send(test.component("clips"), 4, put);
  test.run_until(0.5);
  REQUIRE(probe.answers.size() == 4);
  CHECK(probe.answers[0].tag == 3);  // refused at once
  CHECK(probe.answers[0].outcome == Outcome::rejected);
  CHECK(probe.answers[0].status == Status::throttled);
  for (std::size_t i = 1; i < 4; ++i)
    CHECK(probe.answers[i].outcome == Outcome::ok);
  json summary;
  test.component("clips").add_summary(summary, 1);
  CHECK(summary["slowed_down"] == 1);
}
