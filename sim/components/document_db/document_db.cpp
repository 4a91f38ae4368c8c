#include "sim/components/document_db/document_db.hpp"

#include "sim/core/fault_plan.hpp"
#include "sim/core/item_number.hpp"
#include "sim/core/key_versions.hpp"
#include "sim/core/world.hpp"
#include "sim/jobs/job_ledger.hpp"

namespace archlab {

DocumentDb::DocumentDb(const ComponentSetup& setup)
    : Component(setup, "document_db"),
      world_(setup.world),
      instance_class_(setup.params.at("instance_class").get<std::string>()),
      instances_(setup.params.at("instances").get<int>()),
      store_(setup.params.at("unique_index").get<bool>()),
      connections_(setup.params.at("max_connections").get<int>(), setup.params.at("connection_idle_close_s").get<double>()),
      connect_s_(setup.world.seconds_of(setup.params.at("connect_ms"))),
      latency_rng_(setup.world.rng(setup.id + "/latency")),
      fault_rng_(setup.world.rng(setup.id + "/faults")),
      output_store_(jobs_of(setup.world).add_output_store())
{
  const auto& latency = setup.params.at("latency_ms");
  for (std::size_t i = 0; i < document_operation_count; ++i)
    latency_s_[i] = setup.world.seconds_of(latency.at(document_operation_names[i]));
}

std::optional<DocumentOperation> DocumentDb::document_operation(Operation operation)
{
  static const Operation operations[document_operation_count] = {Operation::named("find"), Operation::named("insert"),
                                                                 Operation::named("upsert"), Operation::named("update")};
  for (std::size_t i = 0; i < document_operation_count; ++i)
    if (operations[i] == operation)
      return static_cast<DocumentOperation>(i);
  return std::nullopt;
}

void DocumentDb::log_once(bool& has_logged, const std::string& text)
{
  if (!has_logged)
    world_.log().add(clock().now(), id(), text + " (logged once)");
  has_logged = true;
}

void DocumentDb::accept(const Call& call)
{
  double now_s = clock().now();
  stats_.arrive(call.request->is_measured);
  stats_.busy.add(now_s, 1);
  ++requests_;
  auto operation = document_operation(call.operation);
  if (!operation) {
    log_once(has_logged_bad_operation_, std::string("a document database cannot take the operation '") + operation_name(call.operation) + "'");
    clock().after(0, [this, call, now_s] { answer(call, now_s, Outcome::failed); });
    return;
  }
  ++by_operation_[static_cast<std::size_t>(*operation)];
  std::uint64_t connection = call.request->connection;
  auto use = connections_.use(connection, now_s);
  if (use == ConnectionUse::refused) {
    ++connections_refused_;
    log_once(has_logged_refusal_, "connection refused: " + std::to_string(connections_.open()) + " open, the limit");
    // The driver learns it when its handshake is turned away.
    clock().after(connect_s_.sample(latency_rng_), [this, call, now_s] { answer(call, now_s, Outcome::failed); });
    return;
  }
  double delay_s = latency_s_[static_cast<std::size_t>(*operation)].sample(latency_rng_) * faults_.latency_factor;
  if (use == ConnectionUse::opened) {
    ++connections_opened_;
    delay_s += connect_s_.sample(latency_rng_);
  }
  if (faults_.failure_probability > 0 && fault_rng_.uniform01() < faults_.failure_probability) {
    ++failed_attempts_;
    clock().after(delay_s, [this, call, now_s, connection] {
      connections_.release(connection);
      answer(call, now_s, Outcome::failed);
    });
    return;
  }
  clock().after(delay_s, [this, call, operation, now_s, connection] {
    connections_.release(connection);
    complete(call, *operation, now_s);
  });
}

// The write takes effect when it is acknowledged: a later find sees it.
void DocumentDb::complete(const Call& call, DocumentOperation operation, double arrived_s)
{
  const Request& request = *call.request;
  std::uint64_t key = item_number(request);
  Answer answer_to_send(Outcome::ok);
  if (operation == DocumentOperation::find) {
    answer_to_send.status = store_.contains(key) ? Status::found : Status::not_found;
    answer(call, arrived_s, answer_to_send);
    return;
  }
  switch (store_.apply(operation, key)) {
    case WriteEffect::duplicate_key:
      ++duplicate_key_errors_;
      log_once(has_logged_duplicate_, "E11000 duplicate key: an insert of a key the unique index holds");
      answer(call, arrived_s, Answer(Outcome::failed, Status::condition_failed));
      return;
    case WriteEffect::new_document:
      if (request.job != 0)
        jobs_of(world_).output_created(request.job, output_store_);
      key_versions_of(world_).write(request.key);
      break;
    case WriteEffect::overwritten: key_versions_of(world_).write(request.key); break;
    case WriteEffect::none: answer_to_send.status = Status::not_found; break;  // an update that matched nothing
  }
  answer(call, arrived_s, answer_to_send);
}

void DocumentDb::answer(const Call& call, double arrived_s, const Answer& answer_to_send)
{
  double now_s = clock().now();
  stats_.busy.add(now_s, -1);
  stats_.finish(now_s - arrived_s, answer_to_send.outcome == Outcome::ok, call.request->is_measured);
  call.caller->on_answer(call, answer_to_send);
}

void DocumentDb::apply_fault(const FaultEvent& fault, World& world)
{
  if (fault.target.empty())
    return;  // a zone outage: the model does not place the cluster's instances (a failover is not simulated)
  if (!faults_.apply(fault, world, clock().now(), id(), "with an error"))
    Component::apply_fault(fault, world);
}

std::optional<double> DocumentDb::signal(std::string_view name) const
{
  if (name == "connections")
    return connections_.open();
  if (name == "connections_refused")
    return static_cast<double>(connections_refused_);
  if (name == "documents")
    return static_cast<double>(store_.documents());
  return Component::signal(name);
}

void DocumentDb::add_summary(nlohmann::json& summary, double) const
{
  nlohmann::json by_operation = nlohmann::json::object();
  for (std::size_t i = 0; i < document_operation_count; ++i)
    by_operation[document_operation_names[i]] = by_operation_[i];
  summary["requests"] = requests_;
  summary["by_operation"] = by_operation;
  summary["documents"] = store_.documents();
  summary["keys_with_duplicate_documents"] = store_.keys_with_duplicates();
  summary["duplicate_key_errors"] = duplicate_key_errors_;
  summary["connections"] = {{"opened", connections_opened_}, {"peak", connections_.peak()}, {"refused", connections_refused_}};
  summary["failed_attempts"] = failed_attempts_;
}

// Instance-hours and one I/O per call (assumption: a small document is one page read or one log
// unit written; DocumentDB Standard bills I/O per million).
void DocumentDb::add_billing(std::vector<BillingLine>& billing, double end_s) const
{
  billing.push_back({"docdb." + instance_class_ + ".hour", instances_ * end_s / 3600});
  billing.push_back({"docdb.io.request", static_cast<double>(requests_ - connections_refused_)});
}

}  // namespace archlab
