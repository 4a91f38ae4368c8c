#include "sim/components/bucket/bucket.hpp"

#include "sim/core/item_number.hpp"
#include "sim/core/slot_pool.hpp"
#include "sim/core/world.hpp"
#include "sim/jobs/job_ledger.hpp"

#include <algorithm>

namespace archlab {

namespace {
constexpr const char* operation_names[Bucket::operation_count] = {"get", "put", "delete", "list"};

std::optional<Bucket::ObjectOperation> object_operation(Operation operation)
{
  static const Operation operations[Bucket::operation_count] = {Operation::named("get"), Operation::named("put"),
                                                               Operation::named("delete"), Operation::named("list")};
  for (std::size_t i = 0; i < Bucket::operation_count; ++i)
    if (operations[i] == operation)
      return static_cast<Bucket::ObjectOperation>(i);
  return std::nullopt;
}

}  // namespace

Bucket::Bucket(const ComponentSetup& setup)
    : Component(setup, "bucket"),
      world_(setup.world),
      params_(setup.params),
      notification_delay_s_(setup.world.seconds_of(setup.params.at("notification_delay_ms"))),
      transfer_bytes_per_s_(setup.params.at("transfer_bytes_per_s").get<double>()),
      object_size_bytes_(setup.params.at("object_size_bytes").get<std::uint32_t>()),
      duplicate_probability_(setup.params.at("duplicate_probability").get<double>()),
      latency_rng_(setup.world.rng(setup.id + "/latency")),
      notification_rng_(setup.world.rng(setup.id + "/notifications")),
      duplicate_rng_(setup.world.rng(setup.id + "/duplicates")),
      output_store_(jobs_of(setup.world).add_output_store())
{
  prefix_reads_per_s_ = setup.params.at("prefix_read_rate_per_s").get<double>();
  prefix_writes_per_s_ = setup.params.at("prefix_write_rate_per_s").get<double>();
  for (std::size_t i = 0; i < operation_count; ++i)
    latency_s_[i] = setup.world.seconds_of(setup.params.at("latency_ms").at(operation_names[i]));
}

void Bucket::connect(World& world)
{
  auto kinds = params_.value("object_keys", nlohmann::json::object());  // items() must not outlive it
  prefix_rates_.push_back({"", {}, {}});
  for (const auto& [kind, rule] : kinds.items()) {
    auto prefix = rule.at("prefix").get<std::string>();
    auto same = std::find_if(prefix_rates_.begin(), prefix_rates_.end(), [&](const PrefixRates& rates) { return rates.prefix == prefix; });
    if (same == prefix_rates_.end())
      same = prefix_rates_.insert(prefix_rates_.end(), {prefix, {}, {}});
    naming_.push_back({world.kind_id(kind), prefix, rule.at("suffix").get<std::string>(), static_cast<std::size_t>(same - prefix_rates_.begin())});
  }
  const auto& notifications = params_.at("notifications");
  for (std::size_t i = 0; i < notifications.size(); ++i) {
    const auto& json = notifications[i];
    Notification notification;
    notification.target = json.at("target").get<std::string>();
    for (const auto& event : json.at("events")) {
      notification.on_put |= event == "put";
      notification.on_delete |= event == "delete";
    }
    notification.filter = {json.at("prefix").get<std::string>(), json.at("suffix").get<std::string>()};
    nlohmann::json site = {{"target", notification.target}, {"operation", json.value("operation", nlohmann::json("send"))}};
    if (site.at("operation").is_null())
      site["operation"] = "send";
    notification.site = &call_sites_.add(world, site, id() + "/notifications[" + std::to_string(i) + "]");
    notifications_.push_back(std::move(notification));
  }
}

std::string Bucket::name_of(const Request& request, std::uint64_t write_mark) const
{
  std::uint64_t number = item_number(request);
  std::string_view prefix, suffix;
  for (const auto& rule : naming_)
    if (rule.kind == request.kind) {
      prefix = rule.prefix;
      suffix = rule.suffix;
      break;
    }
  return write_mark == 0 ? object_name(prefix, number, suffix) : object_name(prefix, number, write_mark, suffix);
}

std::size_t Bucket::prefix_rates_of(std::uint16_t kind) const
{
  for (const auto& rule : naming_)
    if (rule.kind == kind)
      return rule.prefix_rates;
  return 0;
}

void Bucket::accept(const Call& call)
{
  stats_.arrive(call.request->is_measured);
  auto operation = object_operation(call.operation);
  double arrived_s = clock().now();
  if (!operation) {
    refuse_operation(call, world_);
    return;
  }
  auto& rates = prefix_rates_[prefix_rates_of(call.request->kind)];
  bool is_read = *operation == ObjectOperation::get;
  bool is_write = *operation == ObjectOperation::put || *operation == ObjectOperation::remove;
  if ((is_read && !admit_request(rates.reads, arrived_s, prefix_reads_per_s_)) ||
      (is_write && !admit_request(rates.writes, arrived_s, prefix_writes_per_s_))) {
    if (++slowed_down_ == 1) {
      std::string message = "503 Slow Down: more than the prefix '";
      message.append(rates.prefix).append("' takes in a second (logged once)");
      world_.log().add(arrived_s, id(), message);
    }
    clock().after(0, [this, call] {
      stats_.reject(call.request->is_measured);
      call.caller->on_answer(call, Answer(Outcome::rejected, Status::throttled));
    });
    return;
  }
  stats_.busy.add(arrived_s, 1);
  ++by_operation_[static_cast<std::size_t>(*operation)];
  double latency_s = std::max(0.0, latency_s_[static_cast<std::size_t>(*operation)].sample(latency_rng_));
  // A put moves the request's bytes, a get the stored object's (known when it arrives).
  double transfer_bytes = 0;
  if (*operation == ObjectOperation::put)
    transfer_bytes = call.request->size_bytes ? call.request->size_bytes : object_size_bytes_;
  else if (*operation == ObjectOperation::get)
    if (auto found = objects_.find(name_of(*call.request)))
      transfer_bytes = *found;
  clock().after(latency_s + transfer_bytes / transfer_bytes_per_s_, [this, call, operation, arrived_s] { complete(call, *operation, arrived_s); });
}

// What the operation does happens when it completes: a get reads what is stored then, a put is
// visible to every later read (S3's strong read-after-write consistency).
void Bucket::complete(const Call& call, ObjectOperation operation, double arrived_s)
{
  const Request& request = *call.request;
  Answer answer(Outcome::ok);
  const auto* put = call.arguments_as<ObjectPutArguments>();
  bool has_unique_name = operation == ObjectOperation::put && put && put->has_unique_name;
  std::string name = has_unique_name ? name_of(request, ++unique_names_) : name_of(request);
  switch (operation) {
    case ObjectOperation::get:
      if (auto found = objects_.find(name)) {
        answer.status = Status::found;
        answer.size_bytes = *found;
      } else {
        answer.status = Status::not_found;  // 404 NoSuchKey
        ++not_found_;
      }
      break;
    case ObjectOperation::put:
      if (store(name, request.size_bytes ? request.size_bytes : object_size_bytes_) && request.job != 0)
        jobs_of(world_).output_created(request.job, output_store_);
      notify(request, name, true);
      break;
    case ObjectOperation::remove:
      if (remove(name))
        notify(request, name, false);
      break;
    case ObjectOperation::list: break;
  }
  double now_s = clock().now();
  stats_.busy.add(now_s, -1);
  stats_.finish(now_s - arrived_s, true, request.is_measured);
  call.caller->on_answer(call, answer);
}

bool Bucket::store(const std::string& name, std::uint32_t size_bytes)
{
  auto was = objects_.put(name, size_bytes);
  double change = was ? static_cast<double>(size_bytes) - *was : static_cast<double>(size_bytes);
  stored_bytes_.add(clock().now(), change);
  return !was;
}

bool Bucket::remove(const std::string& name)
{
  auto was = objects_.remove(name);
  if (!was)
    return false;
  stored_bytes_.add(clock().now(), -static_cast<double>(*was));
  return true;
}

void Bucket::notify(const Request& request, const std::string& name, bool is_put)
{
  for (std::uint32_t i = 0; i < notifications_.size(); ++i) {
    const auto& notification = notifications_[i];
    if (!(is_put ? notification.on_put : notification.on_delete) || !matches(notification.filter, name))
      continue;
    send_event(i, request);
    // At least once: rarely a second copy (drawn only when the model allows it).
    if (duplicate_probability_ > 0 && duplicate_rng_.uniform01() < duplicate_probability_) {
      ++notifications_[i].duplicates;
      send_event(i, request);
    }
  }
}

namespace {
constexpr std::uint32_t event_message_bytes = 1024;
}  // namespace

void Bucket::send_event(std::uint32_t notification, const Request& request)
{
  std::uint32_t slot = take_slot(events_, free_events_);
  events_[slot] = Event{request, notification};
  Request& copy = events_[slot].request;
  // The notification is a small JSON record naming the object, not the object itself (assumption:
  // about 1 KiB; AWS documents its fields, not its size).
  copy.size_bytes = event_message_bytes;
  copy.deadline_s = Scheduler::never;
  copy.parent = {};
  copy.timeout = {};
  clock().after(std::max(0.0, notification_delay_s_.sample(notification_rng_)), [this, slot] {
    Event& event = events_[slot];
    auto& target = notifications_[event.notification];
    event.request.sent_s = clock().now();
    ++target.sent;
    target.site->send(Call{&event.request, this, slot, target.site->operation()});
    if (target.site->is_one_way()) {
      ++target.delivered;
      free_events_.push_back(slot);
    }
  });
}

// S3 documents no retry of a notification its destination refused; it is counted as failed.
void Bucket::on_answer(const Call& call, const Answer& answer)
{
  auto slot = static_cast<std::uint32_t>(call.tag);
  auto& notification = notifications_[events_[slot].notification];
  ++(answer.outcome == Outcome::ok ? notification.delivered : notification.failed);
  free_events_.push_back(slot);
}

std::optional<double> Bucket::signal(std::string_view name) const
{
  if (name == "objects")
    return static_cast<double>(objects_.size());
  if (name == "stored_bytes")
    return stored_bytes_.level();
  return Component::signal(name);
}

void Bucket::add_summary(nlohmann::json& summary, double end_s) const
{
  nlohmann::json by_operation = nlohmann::json::object();
  for (std::size_t i = 0; i < operation_count; ++i)
    by_operation[operation_names[i]] = by_operation_[i];
  summary["by_operation"] = by_operation;
  summary["not_found"] = not_found_;
  summary["slowed_down"] = slowed_down_;
  summary["objects"] = objects_.size();
  summary["stored_bytes"] = stored_bytes_.level();
  summary["storage_gb_months"] = storage_gb_months(stored_bytes_.lifetime_area_until(end_s));
  nlohmann::json notifications = nlohmann::json::array();
  for (const auto& notification : notifications_)
    notifications.push_back({{"target", notification.target}, {"sent", notification.sent}, {"duplicates", notification.duplicates},
                             {"delivered", notification.delivered}, {"failed", notification.failed}});
  summary["notifications"] = notifications;
}

void Bucket::add_billing(std::vector<BillingLine>& billing, double end_s) const
{
  auto count = [&](ObjectOperation operation) { return static_cast<double>(by_operation_[static_cast<std::size_t>(operation)]); };
  billing.push_back({"s3.standard.gb_month", storage_gb_months(stored_bytes_.lifetime_area_until(end_s))});
  billing.push_back({"s3.request.put_list", count(ObjectOperation::put) + count(ObjectOperation::list)});
  billing.push_back({"s3.request.get", count(ObjectOperation::get)});  // DELETE is free (AWS)
}

}  // namespace archlab
