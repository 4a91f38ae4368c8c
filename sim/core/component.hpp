// What every component is to the simulation: an Endpoint requests can be sent to, with a life cycle
// (connect → start → finish) and the standard figures of StationStats.
#pragma once

#include "sim/core/call.hpp"
#include "sim/core/call_site.hpp"
#include "sim/core/scheduler.hpp"
#include "sim/metrics/station_stats.hpp"

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace archlab {

class World;
struct FaultEvent;

// One billable quantity: `item` is a key of the price table (models/prices/), e.g. "ec2.t3.micro.hour".
struct BillingLine {
  std::string item;
  double quantity = 0;
};

struct ComponentSetup {
  std::string id;
  const nlohmann::json& params;  // validated, defaults filled in
  World& world;
};

class Component : public Endpoint {
public:
  Component(const ComponentSetup& setup, std::string type);  // the clock is the world's scheduler

  const std::string& id() const { return id_; }
  const std::string& type() const { return type_; }
  std::string endpoint_name() const override { return id_; }

  virtual void connect(World&) {}  // find the components it sends to (all exist by now)
  virtual void start(World&) {}    // schedule its first events
  virtual std::vector<Endpoint*> endpoints() { return {this}; }  // what a load balancer spreads over
  // Default: a zone outage passes by (the component is not placed), anything else is not supported.
  virtual void apply_fault(const FaultEvent& fault, World& world);
  // Figures for the summary beyond the standard ones (instances, health, ...).
  virtual void add_summary(nlohmann::json&, double /*end_s*/) const {}
  // The current value of one of its declared signals (sim/core/signals.hpp); nothing for a name its
  // type does not declare. Types with signals of their own answer those and hand the rest to this one.
  virtual std::optional<double> signal(std::string_view name) const;
  // What the run would be billed for, from time 0 to `end_s` (see sim/report/cost.hpp).
  virtual void add_billing(std::vector<BillingLine>&, double /*end_s*/) const {}

  // Where it calls others, under their policies; their figures go to `calls` in the summary.
  CallSites& call_sites() { return call_sites_; }
  const CallSites& call_sites() const { return call_sites_; }

  StationStats& stats() { return stats_; }
  const StationStats& stats() const { return stats_; }

protected:
  Scheduler& clock() const { return clock_; }
  // A call of an operation its type does not take (validation refuses one in a model; a hand-built
  // call can still make it): logged once, answered failed at once.
  void refuse_operation(const Call& call, World& world);
  StationStats stats_;
  CallSites call_sites_;

private:
  bool has_logged_refused_operation_ = false;
  std::string id_;
  std::string type_;
  Scheduler& clock_;
};

}  // namespace archlab
