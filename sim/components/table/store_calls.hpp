// A call's way through a table-like store (a DynamoDB table, a Keyspaces table), from arrival to
// its one answer, as both keep it: the busy count, the station's counts, the calls by operation
// (one the store does not take logged once), and each operation's latency.
#pragma once

#include "sim/core/call.hpp"
#include "sim/core/distribution.hpp"
#include "sim/core/random.hpp"
#include "sim/core/world.hpp"
#include "sim/metrics/station_stats.hpp"

#include <nlohmann/json.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace archlab {

template <class StoreOperation>
struct StoreAttempt {
  Call call;
  StoreOperation operation;
  double arrived_s = 0;
};

void count_arrival(StationStats& stats, const Call& call, double now_s);
// store_kind names the store in the line ("a table cannot take ...").
void log_unknown_operation_once(EventLog& log, bool& has_logged, double now_s, const std::string& source_id,
                                const char* store_kind, Operation operation);
void send_answer(StationStats& stats, const Call& call, double arrived_s, double now_s, const Answer& answer);

// The calls a store has taken, by its operations, named in order in `names`.
template <class StoreOperation, std::size_t count>
class StoreCalls {
public:
  StoreCalls(const char* const (&names)[count], const char* store_kind) : names_(names), store_kind_(store_kind)
  {
    for (std::size_t i = 0; i < count; ++i)
      operations_[i] = Operation::named(names[i]);
  }

  // Counts an arriving call; nothing for an operation the store does not take (logged once).
  std::optional<StoreOperation> arrive(StationStats& stats, const Call& call, double now_s, EventLog& log, const std::string& source_id)
  {
    count_arrival(stats, call, now_s);
    ++requests_;
    for (std::size_t i = 0; i < count; ++i)
      if (operations_[i] == call.operation) {
        ++by_operation_[i];
        return static_cast<StoreOperation>(i);
      }
    log_unknown_operation_once(log, has_logged_unknown_operation_, now_s, source_id, store_kind_, call.operation);
    return std::nullopt;
  }

  std::uint64_t requests() const { return requests_; }
  std::uint64_t count_of(StoreOperation operation) const { return by_operation_[static_cast<std::size_t>(operation)]; }
  nlohmann::json by_operation() const
  {
    nlohmann::json counts = nlohmann::json::object();
    for (std::size_t i = 0; i < count; ++i)
      counts[names_[i]] = by_operation_[i];
    return counts;
  }

private:
  const char* const (&names_)[count];
  const char* store_kind_;
  std::array<Operation, count> operations_{};
  std::uint64_t requests_ = 0;
  std::array<std::uint64_t, count> by_operation_{};
  bool has_logged_unknown_operation_ = false;
};

// Each operation's latency, from the store's latency_ms param, which names them as `names` do.
template <std::size_t count>
class OperationLatencies {
public:
  OperationLatencies(const World& world, const nlohmann::json& latency_ms, const char* const (&names)[count])
  {
    for (std::size_t i = 0; i < count; ++i)
      seconds_[i] = world.seconds_of(latency_ms.at(names[i]));
  }
  // slow_factor: an injected slowdown's.
  template <class StoreOperation>
  double sample_s(StoreOperation operation, Rng& rng, double slow_factor)
  {
    return seconds_[static_cast<std::size_t>(operation)].sample(rng) * slow_factor;
  }

private:
  std::array<Distribution, count> seconds_;
};

}  // namespace archlab
