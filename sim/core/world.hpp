// What components share during a run: each other, request kinds, random streams, the run control
// and the event log. One World per simulation (and one simulation per process).
#pragma once

#include "sim/core/component.hpp"
#include "sim/core/distribution.hpp"
#include "sim/core/model.hpp"
#include "sim/core/random.hpp"
#include "sim/core/request_pool.hpp"
#include "sim/core/run_control.hpp"
#include "sim/core/scheduler.hpp"

#include <cstdint>
#include <cstdio>
#include <memory>
#include <typeindex>
#include <utility>
#include <string>
#include <vector>

namespace archlab {

class Compute;  // sim/platform/compute.hpp: CPU work on instances' hosts

// What happened, line by line. With a sink (`--out`) every line is streamed to it; in memory it keeps
// only the first `kept_lines`, the short view a terminal shows, and counts the rest.
class EventLog {
public:
  static constexpr std::size_t kept_lines = 200;

  void add(double at_s, const std::string& source, const std::string& text);
  void stream_to(std::FILE* sink) { sink_ = sink; }
  bool is_complete() const { return sink_ != nullptr; }  // every line is kept: no component should thin its lines
  const std::vector<std::string>& lines() const { return lines_; }
  std::uint64_t total_lines() const { return total_; }

private:
  std::vector<std::string> lines_;
  std::uint64_t total_ = 0;
  std::FILE* sink_ = nullptr;
};

class World {
public:
  explicit World(const Model& model) : model_(model), control_(model.run) {}

  const Model& model() const { return model_; }
  Component& component(const std::string& id);  // the model was validated: the id exists
  std::vector<std::unique_ptr<Component>>& components() { return components_; }
  void add(std::unique_ptr<Component> component) { components_.push_back(std::move(component)); }
  // Creates every component of the model and connects them (each finds what it sends to).
  void build();

  std::uint16_t kind_id(const std::string& kind_name);  // interned request kind names
  const std::string& kind_name(std::uint16_t id) const { return kind_names_.at(id); }
  Rng rng(const std::string& stream_name) const { return Rng::for_stream(model_.run.seed, stream_name); }
  // A validated distribution parameter in milliseconds, as seconds (empirical files are read beside the model).
  Distribution seconds_of(const nlohmann::json& distribution_ms) const;

  // Simulated time: every component schedules through this one scheduler (FIFO at equal times).
  Scheduler& scheduler() { return scheduler_; }
  double now() const { return scheduler_.now(); }

  RequestPool& requests() { return requests_; }  // every end-to-end request in flight
  RunControl& control() { return control_; }
  EventLog& log() { return log_; }
  // Tables kept beside the simulation and shared by components that know them (the job ledger,
  // sim/jobs/): made on first use, one of each type, so the core names none of them.
  template <class Table>
  Table& side_table()
  {
    if (auto* found = find_side_table<Table>())
      return *found;
    auto table = std::make_shared<Table>();
    side_tables_.emplace_back(std::type_index(typeid(Table)), table);
    return *table;
  }
  template <class Table>
  Table* find_side_table() const
  {
    for (const auto& [type, table] : side_tables_)
      if (type == std::type_index(typeid(Table)))
        return static_cast<Table*>(table.get());
    return nullptr;
  }
  // The SimGrid platform, when the run has one (a model with CPU work); null on the plain scheduler.
  Compute* compute() const { return compute_; }
  void set_compute(Compute* compute) { compute_ = compute; }
  bool keeps_intervals = false;  // the time series is wanted (--out)

private:
  const Model& model_;
  Scheduler scheduler_;
  std::vector<std::unique_ptr<Component>> components_;
  std::vector<std::string> kind_names_{"default"};
  RunControl control_;
  EventLog log_;
  RequestPool requests_;
  std::vector<std::pair<std::type_index, std::shared_ptr<void>>> side_tables_;
  Compute* compute_ = nullptr;
};

}  // namespace archlab
