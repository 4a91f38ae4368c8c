// Components in a unit test: a model from JSON (validated and filled in like any other), its World
// and components built and connected, time advanced by the test. No SimGrid engine is involved, so a
// test binary may build as many worlds as it likes. A Probe sends calls and records who was answered
// when, so a test reads like SimGrid's .tesh files: who finished when.
#pragma once

#include "sim/core/component.hpp"
#include "sim/core/model.hpp"
#include "sim/core/world.hpp"

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace archlab::testing {

class TestWorld {
public:
  explicit TestWorld(nlohmann::json document) : model_(model_from_json(std::move(document), "test-model.json")), world_(model_)
  {
    world_.build();
  }
  TestWorld(const TestWorld&) = delete;

  World& world() { return world_; }
  Scheduler& scheduler() { return world_.scheduler(); }
  Component& component(const std::string& id) { return world_.component(id); }
  void start()
  {
    for (auto& component : world_.components())
      component->start(world_);
  }
  void run_until(double time_s) { world_.scheduler().run_until(time_s); }

private:
  Model model_;
  World world_;
};

// One answer a Probe heard: which call, when, and what it said.
struct Heard {
  std::uint64_t tag;
  double at_s;
  Outcome outcome;
  Status status = Status::none;
  std::uint8_t item_state = 0;
};

// A caller that records every answer it gets, with the time it came.
class Probe final : public Caller {
public:
  explicit Probe(Scheduler& scheduler) : scheduler_(scheduler) {}

  Request prototype;  // what every request sent starts as: a test sets its key, is_measured, size

  // Sends `operation` (a plain request unless named) to `target` now; `tag` names it in the answers.
  void send(Endpoint& target, std::uint64_t tag, Operation operation = {}, const CallArguments* arguments = nullptr)
  {
    requests_.push_back(std::make_unique<Request>(prototype));
    Request& request = *requests_.back();
    request.id = tag;
    request.sent_s = scheduler_.now();
    target.accept(Call{&request, this, tag, operation, arguments});
  }
  void on_answer(const Call& call, const Answer& answer) override
  {
    answers.push_back({call.tag, scheduler_.now(), answer.outcome, answer.status, answer.item_state});
  }

  std::vector<Heard> answers;

private:
  Scheduler& scheduler_;
  std::vector<std::unique_ptr<Request>> requests_;
};

}  // namespace archlab::testing
