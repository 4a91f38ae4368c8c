// The bucket's parameters and the checks of its notification configurations.
#include "sim/components/bucket/bucket.hpp"

namespace archlab {

namespace {
nlohmann::json lognormal_ms(double mean_ms, double cv) { return {{"dist", "lognormal"}, {"mean", mean_ms}, {"cv", cv}}; }

std::vector<ParamSpec> notification_fields()
{
  return {
      text_list_param("events", "the events it fires on: put (s3:ObjectCreated:Put), delete (s3:ObjectRemoved:Delete)").required(),
      text_param("prefix", "the object key's prefix filter (absent: any)").with_default(""),
      text_param("suffix", "the object key's suffix filter (absent: any)").with_default(""),
      reference_param("target", Interaction::async_message, "where the event goes: a queue, a topic or a function").required(),
      operation_param("the operation the event calls on its target (absent: send, SQS's SendMessage; publish for a topic)").with_default(nullptr),
  };
}

std::vector<ParamSpec> naming_fields()
{
  return {text_param("prefix", "put before the request's key").with_default(""),
          text_param("suffix", "put after the request's key").with_default("")};
}

std::vector<ParamSpec> put_arguments()
{
  return {boolean_param("unique_name", false,
                        "put: the writer names each object anew (a timestamp or UUID in the key), so a retried write leaves a "
                        "second object instead of replacing the first")};
}

std::shared_ptr<const CallArguments> read_put_arguments(const nlohmann::json& call)
{
  auto arguments = std::make_shared<ObjectPutArguments>();
  arguments->has_unique_name = call.value("unique_name", false);
  return arguments;
}

bool has_event(const nlohmann::json& notification, const char* event)
{
  for (const auto& name : notification.at("events"))
    if (name == event)
      return true;
  return false;
}

void check_bucket(const nlohmann::json& params, const std::string& path, std::vector<Problem>& problems)
{
  const auto& notifications = params.at("notifications");
  for (std::size_t i = 0; i < notifications.size(); ++i) {
    auto at = path + ".notifications[" + std::to_string(i) + "]";
    const auto& events = notifications[i].at("events");
    if (events.empty())
      problems.push_back({at + ".events", "name at least one event: put or delete"});
    for (std::size_t e = 0; e < events.size(); ++e)
      if (events[e] != "put" && events[e] != "delete")
        problems.push_back({at + ".events[" + std::to_string(e) + "]", "unknown event '" + events[e].get<std::string>() + "' (put or delete)"});
    KeyFilter filter{notifications[i].at("prefix").get<std::string>(), notifications[i].at("suffix").get<std::string>()};
    for (std::size_t j = 0; j < i; ++j) {
      KeyFilter earlier{notifications[j].at("prefix").get<std::string>(), notifications[j].at("suffix").get<std::string>()};
      for (const char* event : {"put", "delete"})
        if (has_event(notifications[i], event) && has_event(notifications[j], event) && filters_overlap(filter, earlier)) {
          problems.push_back({at, std::string("overlaps notifications[") + std::to_string(j) + "] for " + event +
                                      " events: S3 refuses filters some key matches both (\"Configuration is ambiguously defined\")"});
          break;
        }
    }
  }
}
}  // namespace

ComponentType Bucket::type_description()
{
  std::vector<ParamSpec> latency_fields = {
      distribution_param("get", "ms", lognormal_ms(20, 0.5), "GetObject, before the transfer (assumption)"),
      distribution_param("put", "ms", lognormal_ms(30, 0.5), "PutObject, before the transfer (assumption)"),
      distribution_param("delete", "ms", lognormal_ms(20, 0.5), "DeleteObject (assumption)"),
      distribution_param("list", "ms", lognormal_ms(50, 0.5), "ListObjectsV2, one page of up to 1,000 keys (assumption)"),
  };
  return {
      .name = "bucket",
      .summary = "an object store: get, put, delete and list with latency and transfer time, storage kept for the bill, "
                 "event notifications filtered by key prefix and suffix, delivered at least once after a delay",
      .aws_counterpart = "Amazon S3 bucket (S3 Standard)",
      .part_kind = PartKind::bucket,
      .params =
          {
              object_map_param("object_keys", naming_fields(),
                               "per request kind: the prefix and suffix around the request's key that name its object, e.g. "
                               "{\"upload\": {\"prefix\": \"raw/\", \"suffix\": \".mp4\"}} (other kinds: the bare number)"),
              number_param("object_size_bytes", "bytes", 1048576, "size of an object put by a request that gives none (assumption: 1 MiB; S3 objects up to 5 TB)")
                  .at_least(0)
                  .at_most(4294967295.0),
              object_param("latency_ms", latency_fields, "time to answer each operation, before the object's transfer"),
              number_param("transfer_bytes_per_s", "bytes per s", 100e6,
                           "one request's transfer rate for the object's bytes (assumption: about 100 MB/s for one connection)").above(0),
              object_list_param("notifications", notification_fields(), "event notification configurations")
                  .with_default(nlohmann::json::array()),
              distribution_param("notification_delay_ms", "ms", lognormal_ms(1000, 1),
                                 "from the event to its notification's send (assumption: AWS says typically within seconds, sometimes a minute or more)"),
              number_param("prefix_read_rate_per_s", "per s", 5500,
                           "GET requests one prefix takes a second; more are answered 503 Slow Down (AWS: at least 5,500 per prefix; S3 "
                           "raises it as it partitions a busy prefix, which is not modelled)").above(0),
              number_param("prefix_write_rate_per_s", "per s", 3500,
                           "PUT and DELETE requests one prefix takes a second (AWS: at least 3,500 per prefix)").above(0),
              number_param("duplicate_probability", "", 0,
                           "chance that a notification is sent twice, the second after another delay (AWS: at least once, rarely twice; "
                           "0: assumption that it never happens)").at_least(0).at_most(1),
          },
      .create = [](const ComponentSetup& setup) -> std::unique_ptr<Component> { return std::make_unique<Bucket>(setup); },
      .check = check_bucket,
      .operations = {{.name = "get", .meaning = "GetObject: found with the object's size, or not found", .is_one_way = false, .arguments = {}, .read_arguments = {}},
                     {.name = "put", .meaning = "PutObject: stored (replacing an object of the same name), then notified", .is_one_way = false, .arguments = put_arguments(), .read_arguments = read_put_arguments},
                     {.name = "delete", .meaning = "DeleteObject: removed, notified if it existed", .is_one_way = false, .arguments = {}, .read_arguments = {}},
                     {.name = "list", .meaning = "ListObjectsV2: one page of keys", .is_one_way = false, .arguments = {}, .read_arguments = {}}},
      .reference_rules = {{"notifications[].target", {"queue", "topic", "function"}}},
      .check_with_model = {},
      .fault_actions = {},
      .is_managed_multi_zone = true,
      .signals = {{"objects", "objects", SignalKind::gauge, "NumberOfObjects"},
                  {"stored_bytes", "bytes", SignalKind::gauge, "BucketSizeBytes"}},
  };
}

}  // namespace archlab
