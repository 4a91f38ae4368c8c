// DocumentDb: a MongoDB-compatible document database (Amazon DocumentDB, MongoDB Atlas) holding one
// collection. Calls find, insert (insertOne), upsert (updateOne with upsert) or update a document by
// the request's key (its job's number when it has no key). Each call needs a connection: a caller's
// connection (a Lambda environment's: Request::connection) is opened on its first call, paying
// connect_ms, and kept; past max_connections a new one is refused and the call fails. Without a
// unique index a repeated insert writes a second document; with one it fails with a duplicate-key
// error; an upsert writes the document once whatever happens. A new document for a job tells the
// job ledger, which counts jobs whose outputs were written more than once. The decisions are pure,
// in document_rules.hpp.
#pragma once

#include "sim/components/document_db/document_rules.hpp"
#include "sim/components/store_faults.hpp"
#include "sim/core/component.hpp"
#include "sim/core/distribution.hpp"
#include "sim/core/random.hpp"
#include "sim/core/registry.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <string>

namespace archlab {

class DocumentDb final : public Component {
public:
  explicit DocumentDb(const ComponentSetup& setup);
  static ComponentType type_description();

  void accept(const Call& call) override;
  void apply_fault(const FaultEvent& fault, World& world) override;
  void add_summary(nlohmann::json& summary, double end_s) const override;
  std::optional<double> signal(std::string_view name) const override;
  void add_billing(std::vector<BillingLine>& billing, double end_s) const override;

private:
  static std::optional<DocumentOperation> document_operation(Operation operation);
  void complete(const Call& call, DocumentOperation operation, double arrived_s);
  void answer(const Call& call, double arrived_s, const Answer& answer_to_send);
  void log_once(bool& has_logged, const std::string& text);

  World& world_;
  std::string instance_class_;
  int instances_;
  DocumentStore store_;
  ConnectionTable connections_;
  std::array<Distribution, document_operation_count> latency_s_;
  Distribution connect_s_;
  StoreFaults faults_;
  Rng latency_rng_;
  Rng fault_rng_;
  std::uint8_t output_store_ = 0;   // its bit in the job ledger's outputs

  std::uint64_t requests_ = 0;
  std::array<std::uint64_t, document_operation_count> by_operation_{};
  std::uint64_t connections_opened_ = 0;
  std::uint64_t connections_refused_ = 0;
  std::uint64_t duplicate_key_errors_ = 0;
  std::uint64_t failed_attempts_ = 0;
  bool has_logged_refusal_ = false;
  bool has_logged_duplicate_ = false;
  bool has_logged_bad_operation_ = false;
};

}  // namespace archlab
