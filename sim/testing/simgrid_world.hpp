// A model's World on SimGrid's platform, inside a test: like TestWorld (test_world.hpp), but the
// components' CPU work runs as SimGrid executions and time is driven from SimGrid's engine. One
// engine per process (docs/simgrid-notes.md §2), so a process builds one SimgridWorld at most: the
// tests that use it live in *.engine_test.cpp, and ctest runs each test case in a process of its own.
#pragma once

#include "sim/core/model.hpp"
#include "sim/core/world.hpp"
#include "sim/platform/simgrid_platform.hpp"
#include "sim/run/simgrid_driver.hpp"

#include <simgrid/s4u/Engine.hpp>

#include <memory>
#include <stdexcept>

namespace archlab::testing {

class SimgridWorld {
public:
  explicit SimgridWorld(nlohmann::json document)
      : engine_(make_engine()),
        model_(model_from_json(std::move(document), "test-model.json")),
        world_(model_),
        platform_(plan_platform(model_.components()), world_.scheduler())
  {
    world_.set_compute(&platform_);
    world_.build();
  }
  SimgridWorld(const SimgridWorld&) = delete;

  World& world() { return world_; }
  Scheduler& scheduler() { return world_.scheduler(); }
  SimgridPlatform& platform() { return platform_; }
  Component& component(const std::string& id) { return world_.component(id); }
  void start()
  {
    for (auto& component : world_.components())
      component->start(world_);
  }
  void run_until(double time_s)
  {
    platform_.seal();  // hosts asked for from now on are VMs, as in a run
    SimgridDriver driver(world_.scheduler(), &platform_);
    driver.run_until(time_s);
  }

private:
  static std::unique_ptr<simgrid::s4u::Engine> make_engine()
  {
    static bool has_engine = false;
    if (has_engine)
      throw std::logic_error("one SimGrid engine per process: run one engine test case per process (ctest does)");
    has_engine = true;
    static int argc = 2;
    static char program[] = "engine_tests";
    static char quiet[] = "--log=root.thres:critical";
    static char* argv[] = {program, quiet, nullptr};
    return std::make_unique<simgrid::s4u::Engine>(&argc, argv);
  }

  std::unique_ptr<simgrid::s4u::Engine> engine_;
  Model model_;
  World world_;
  SimgridPlatform platform_;
};

}  // namespace archlab::testing
