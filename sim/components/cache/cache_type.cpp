// The cache's type: its parameters, operations and their arguments, and the checks of a model's
// cache (what `archlab explain cache` prints); the behaviour is in cache.cpp.
#include "sim/components/cache/cache.hpp"

#include "sim/core/call_policy.hpp"

#include <optional>

namespace archlab {

namespace {
constexpr const char* operation_names[] = {"get", "put", "delete"};

nlohmann::json lognormal_ms(double mean_ms)
{
  return {{"dist", "lognormal"}, {"mean", mean_ms}, {"cv", 0.5}};
}

constexpr double max_value_bytes = 512.0 * 1024 * 1024;  // Redis: a string value is at most 512 MB

void read_size(const nlohmann::json& call, CacheArguments& arguments)
{
  if (call.contains("size_bytes") && call.at("size_bytes").is_number())
    arguments.size_bytes = call.at("size_bytes").get<std::uint32_t>();
  if (call.contains("key") && call.at("key").is_number())
    arguments.key = call.at("key").get<std::uint64_t>();
}

std::shared_ptr<const CallArguments> read_get_arguments(const nlohmann::json& call)
{
  auto arguments = std::make_shared<CacheArguments>();
  read_size(call, *arguments);
  return arguments;
}

std::shared_ptr<const CallArguments> read_put_arguments(const nlohmann::json& call)
{
  auto arguments = std::make_shared<PutArguments>();
  arguments->is_fill = call.value("fill", false);
  read_size(call, *arguments);
  return arguments;
}

std::shared_ptr<const CallArguments> read_delete_arguments(const nlohmann::json& call)
{
  auto arguments = std::make_shared<CacheArguments>();
  read_size(call, *arguments);
  return arguments;
}

ParamSpec key_argument()
{
  return integer_param("key", nullptr,
                       "the key every call of this call site names, whatever its request's (one key for all: a board kept as one bitfield); "
                       "absent: the request's key")
      .at_least(0)
      .at_most(9007199254740991.0);
}

ParamSpec size_argument(const char* what)
{
  return integer_param("size_bytes", nullptr,
                       std::string("the size of the value ") + what +
                           " (a big value, e.g. a 1000 x 1000 bitfield of 500,000 bytes): it crosses the node's network at network_gbps, and a "
                           "get's answer carries it (absent: item_size_bytes, no transfer time; Redis: a value is at most 512 MB)")
      .at_least(0)
      .at_most(max_value_bytes);
}

std::optional<int> given_int(const nlohmann::json& params, const char* name)
{
  if (!params.contains(name) || !params.at(name).is_number_integer())
    return std::nullopt;
  return params.at(name).get<int>();
}

void check_cache(const nlohmann::json& params, const std::string& path, std::vector<Problem>& problems)
{
  if (params.contains("origin"))
    check_call_policy(params.at("origin"), path + ".origin", problems);
  if (params.contains("rebuild"))
    check_call_policy(params.at("rebuild"), path + ".rebuild", problems);
  auto nodes = given_int(params, "nodes");
  auto replicas = given_int(params, "replicas");
  if (nodes && replicas && *nodes != 1 + *replicas)
    problems.push_back({path + ".nodes", "counts the primary and its replicas: with replicas " + std::to_string(*replicas) + " it is " +
                                             std::to_string(1 + *replicas) + " (give one of the two)"});
  if (params.value("multi_az", false) && node_counts(nodes, replicas).replicas == 0)
    problems.push_back({path + ".multi_az", "Multi-AZ needs a read replica to promote (AWS enables it only with at least one): give replicas 1 to " +
                                                std::to_string(max_replicas)});
}
}  // namespace

NodeCounts node_counts_of(const nlohmann::json& params) { return node_counts(given_int(params, "nodes"), given_int(params, "replicas")); }

ParamSpec origin_param(std::string meaning)
{
  std::vector<ParamSpec> fields = {
      reference_param("target", Interaction::sync_call, "the component a miss is read from").required(),
      operation_param("what a miss asks of the origin (get for a table, request for a service); its arguments go beside it"),
  };
  for (auto& field : call_policy_fields())
    fields.push_back(std::move(field));
  return object_param("origin", std::move(fields), std::move(meaning));
}

namespace {
ParamSpec rebuild_param()
{
  std::vector<ParamSpec> fields = {
      reference_param("target", Interaction::polling, "the source the node is re-populated from, e.g. the table holding every item (read in bulk, off any request's path)").required(),
      operation_param("what the rebuild asks of the source (scan for a table: the whole table); its arguments go beside it"),
      number_param("retry_after_s", "s", 10, "a rebuild whose call failed (after its call policy) is called again this long after (assumption: the application keeps trying)")
          .above(0),
  };
  for (auto& field : call_policy_fields())
    fields.push_back(std::move(field));
  return object_param("rebuild", std::move(fields),
                      "after a restart empty (no failover), the application re-populates the node from here, one call, under this call "
                      "policy; until it answers ok the node is kept out of service: gets answer miss at once (the application reads the source "
                      "instead), puts and deletes are rejected; then the node holds again, fresh, the keys it held when it died (the source is "
                      "taken to hold them all)")
      .absent_unless_given();
}
}  // namespace

ComponentType Cache::type_description()
{
  std::vector<ParamSpec> latency_fields = {
      distribution_param("get", "ms", lognormal_ms(0.5), "GET from inside the VPC (assumption: sub-millisecond)"),
      distribution_param("put", "ms", lognormal_ms(0.5), "SET (assumption: sub-millisecond)"),
      distribution_param("delete", "ms", lognormal_ms(0.5), "DEL (assumption: sub-millisecond)"),
  };
  return {
      .name = "cache",
      .summary = "an in-memory key-value cache: capacity in items, lru/fifo/random eviction, TTL, read-through or cache-aside; replicas and "
                 "Multi-AZ failover, a rebuild from a source after a restart empty, big values over the node's network",
      .aws_counterpart = "Amazon ElastiCache (Redis OSS, Valkey or Memcached) node",
      .part_kind = PartKind::cache,
      .params =
          {
              integer_param("capacity_items", 100000, "items the node holds; a new one beyond evicts one (assumption: what node memory / item size allows)")
                  .at_least(1),
              choice_param("eviction", eviction_names(), "lru",
                           "which item goes when full: lru (Redis allkeys-lru, Memcached), fifo (the oldest stored), random (allkeys-random)"),
              number_param("ttl_s", "s", nullptr, "a copy expires this long after it was stored; a hit does not renew it (absent: never)").above(0),
              boolean_param("ttl_renewed_on_hit", false,
                            "a hit sets the copy's expiry again, ttl_s from then (Redis GETEX with EX, Memcached's gat): an item stays "
                            "while it is asked for at least every ttl_s (false: Redis GET, which leaves the expiry alone)"),
              integer_param("item_size_bytes", 1024, "size of one item, answered with a get").at_least(0).at_most(512 * 1024 * 1024),
              origin_param("read-through: a get that misses is read from here, under this call policy, and stored").absent_unless_given(),
              object_param("latency_ms", latency_fields, "time to answer each operation"),
              choice_param("node_type", {"cache.t3.micro", "cache.t4g.micro", "cache.m5.large"}, "cache.t3.micro",
                           "node type, for the bill (models/prices/)"),
              integer_param("nodes", nullptr,
                            "nodes billed: the primary and its replicas (absent: 1 + replicas; given without replicas, it has nodes - 1 of them)")
                  .at_least(1)
                  .at_most(1 + max_replicas),
              integer_param("replicas", nullptr,
                            "read replicas of the primary, in other zones (AWS: 0 to 5 a shard); they serve no reads here, they take over under "
                            "multi_az (absent: nodes - 1, else 0)")
                  .at_least(0)
                  .at_most(max_replicas),
              boolean_param("multi_az", false,
                            "Multi-AZ with automatic failover: a killed primary is replaced by the replica with the least replication lag, "
                            "promoted after failover_s, with what it held (AWS: needs a replica); off, a killed node restarts empty"),
              number_param("failover_s", "s", 30,
                           "from the primary's failure until the promoted replica takes calls again; calls are refused meanwhile (AWS blog: "
                           "about 30 s in all; the guide: a few seconds from the promotion's start)")
                  .at_least(0),
              number_param("replication_lag_ms", "ms", 10,
                           "how far the replicas trail the primary (replication is asynchronous): the writes of this last stretch before a "
                           "failover are lost (assumption: milliseconds under a light write load; CloudWatch's ReplicationLag shows the real one)")
                  .at_least(0)
                  .at_most(3600000),
              number_param("network_gbps", "Gbps", nullptr,
                           "the node's network, each way, for the values whose calls give size_bytes, one transfer at a time (absent: the node "
                           "type's burst bandwidth, 5 for cache.t3.micro and cache.t4g.micro, 10 for cache.m5.large; their baselines are "
                           "0.064 and 0.75)")
                  .above(0),
              rebuild_param(),
          },
      .create = [](const ComponentSetup& setup) -> std::unique_ptr<Component> { return std::make_unique<Cache>(setup); },
      .check = check_cache,
      .operations = {{.name = "get",
                      .meaning = "GET: answered hit or miss (read through the origin on a miss, if it has one); a hit says the copy's age",
                      .arguments = {size_argument("read"), key_argument()},
                      .read_arguments = read_get_arguments},
                     {.name = "put",
                      .meaning = "SET: stores the key; a write, unless `fill`",
                      .arguments = {boolean_param("fill", false, "a copy just read from the origin (cache-aside): stores it without making other copies stale"),
                                    size_argument("written"), key_argument()},
                      .read_arguments = read_put_arguments},
                     {.name = "delete",
                      .meaning = "DEL: drops the key (cache-aside invalidation)",
                      .arguments = {key_argument()},
                      .read_arguments = read_delete_arguments}},
      .reference_rules = {},
      .check_with_model = {},
      .fault_actions = {"kill", "recover"},
      .signals = {{"items", "items", SignalKind::gauge, "items held"},
                  {"hits", "gets", SignalKind::counter, "gets answered from the cache"},
                  {"misses", "gets", SignalKind::counter, "gets that found no fresh copy"}},
  };
}

}  // namespace archlab
