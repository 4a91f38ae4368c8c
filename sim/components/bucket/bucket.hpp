// Bucket: an Amazon S3 bucket (S3 Standard). Calls ask for get, put, delete or list; each is
// answered after the operation's latency plus the object's transfer time. The bucket keeps what is
// stored (each object's name and size) for storage billing and for get's found / not found, and
// after a put or a delete sends an event notification to every configuration whose events and key
// filter match, after a delay, at least once.
//
// Objects are named from the request's key (bucket_rules.hpp: the request kind's prefix and suffix
// around the number), so notification filters work on names the model declares.
#pragma once

#include "sim/components/bucket/bucket_rules.hpp"
#include "sim/components/bucket/object_table.hpp"
#include "sim/core/component.hpp"
#include "sim/core/distribution.hpp"
#include "sim/core/random.hpp"
#include "sim/core/registry.hpp"

#include <array>
#include <deque>
#include <string>
#include <vector>

namespace archlab {

// The arguments of `put` at one call site: whether the writer names each object anew (a timestamp
// or a UUID in the key), so that a retried write leaves a second object instead of replacing one.
struct ObjectPutArguments final : CallArguments {
  bool has_unique_name = false;
};

class Bucket final : public Component, public Caller {
public:
  explicit Bucket(const ComponentSetup& setup);
  static ComponentType type_description();

  void accept(const Call& call) override;
  void connect(World& world) override;
  void on_answer(const Call& call, const Answer& answer) override;
  void add_summary(nlohmann::json& summary, double end_s) const override;
  std::optional<double> signal(std::string_view name) const override;
  void add_billing(std::vector<BillingLine>& billing, double end_s) const override;

  enum class ObjectOperation : std::uint8_t { get, put, remove, list };
  static constexpr std::size_t operation_count = 4;

private:
  struct Notification {
    std::string target;
    bool on_put = false;
    bool on_delete = false;
    KeyFilter filter;
    CallSite* site = nullptr;
    std::uint64_t sent = 0;
    std::uint64_t duplicates = 0;
    std::uint64_t delivered = 0;
    std::uint64_t failed = 0;
  };
  struct NamingRule {
    std::uint16_t kind = 0;
    std::string prefix;
    std::string suffix;
    std::size_t prefix_rates = 0;  // its prefix's request rates in prefix_rates_ (kinds with one prefix share them)
  };
  struct Event {
    Request request;
    std::uint32_t notification = 0;
  };

  void complete(const Call& call, ObjectOperation operation, double arrived_s);
  void notify(const Request& request, const std::string& name, bool is_put);
  void send_event(std::uint32_t notification, const Request& request);
  std::string name_of(const Request& request, std::uint64_t write_mark = 0) const;
  bool store(const std::string& name, std::uint32_t size_bytes);  // true: a new object
  bool remove(const std::string& name);

  World& world_;
  const nlohmann::json& params_;
  std::array<Distribution, operation_count> latency_s_;
  Distribution notification_delay_s_;
  double transfer_bytes_per_s_;
  std::uint32_t object_size_bytes_;
  double duplicate_probability_;
  Rng latency_rng_;
  Rng notification_rng_;
  Rng duplicate_rng_;
  std::vector<NamingRule> naming_;
  struct PrefixRates {
    std::string prefix;
    PrefixRate reads;
    PrefixRate writes;
  };
  std::vector<PrefixRates> prefix_rates_;  // [0]: the bucket's root, for kinds without a naming rule
  double prefix_reads_per_s_ = 0;
  double prefix_writes_per_s_ = 0;
  std::uint64_t slowed_down_ = 0;  // requests answered 503 Slow Down
  std::size_t prefix_rates_of(std::uint16_t kind) const;
  std::vector<Notification> notifications_;
  ObjectTable objects_;  // name → size
  std::uint64_t unique_names_ = 0;  // marks handed to puts that name each object anew
  std::uint8_t output_store_ = 0;   // its bit in the job ledger's outputs
  TimeWeighted stored_bytes_;
  std::deque<Event> events_;
  std::vector<std::uint32_t> free_events_;
  std::array<std::uint64_t, operation_count> by_operation_{};
  std::uint64_t not_found_ = 0;
};

}  // namespace archlab
