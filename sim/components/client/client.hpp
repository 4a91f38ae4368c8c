// Client: the users of the system. Open loop (requests arrive at a rate, whatever the answers) or
// closed loop (each of N users waits for its answer, thinks, then asks again). It owns its requests
// and is the only place end-to-end latency is measured, from a request's first attempt to its final
// answer. Its requests go out through a call site (core/call_site.hpp) under its own call policy:
// timeout_ms per attempt, and optionally retry, circuit_breaker, bulkhead, fallback, so that users who
// retry (a retry storm from the edge) are part of the model. With `jobs`, it also plays the browser of
// an asynchronous job: submit, then poll the status until the job is seen finished. With `live`, its
// browsers also hold websockets and a copy of the board (live_view.hpp).
#pragma once

#include "sim/components/client/arrival_schedule.hpp"
#include "sim/components/client/live_view.hpp"
#include "sim/core/component.hpp"
#include "sim/core/key_space.hpp"
#include "sim/core/distribution.hpp"
#include "sim/core/random.hpp"
#include "sim/core/registry.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

namespace archlab {

class Client final : public Component, public Caller {
public:
  explicit Client(const ComponentSetup& setup);
  static ComponentType type_description();

  void accept(const Call& call) override;  // a client is not a server: answers "failed"
  void connect(World& world) override;
  void start(World& world) override;
  void on_answer(const Call& call, const Answer& answer) override;
  void add_summary(nlohmann::json& summary, double end_s) const override;

private:
  void send(std::uint32_t user);
  void send_request(std::uint16_t kind, std::uint64_t job, std::uint32_t user);
  void follow_job(const Request& request, const Answer& answer);
  void schedule_next_arrival();
  void done(Request* request, const Answer& answer);
  std::uint64_t draw_key(std::uint16_t kind);
  std::uint16_t pick_kind();

  World& world_;
  nlohmann::json call_site_;  // target and policy fields, as a call site reads them
  CallSite* site_ = nullptr;
  bool is_closed_loop_ = false;
  bool is_poisson_ = true;
  RateSchedule schedule_;
  int users_ = 0;
  Distribution think_time_s_;
  std::vector<std::pair<std::uint16_t, double>> mix_;  // kind id, cumulative weight
  Rng arrivals_rng_;
  Rng think_rng_;
  Rng mix_rng_;
  Rng keys_rng_;  // drawn only when the client has keys, so other models keep their numbers
  Rng users_rng_;  // drawn only with distinct_users
  int distinct_users_ = 0;
  std::optional<KeySpace> keys_;
  std::vector<std::pair<std::uint16_t, KeySpace>> keys_by_kind_;
  double next_arrival_s_ = 0;
  std::uint64_t timed_out_ = 0;

  struct JobPolling {
    std::uint16_t submit_kind = 0;
    bool polls = true;
    std::uint16_t status_kind = 0;
    double first_poll_after_s = 0;
    double poll_interval_s = 5;
    std::optional<double> give_up_after_s;
  };
  std::optional<JobPolling> jobs_;
  std::unique_ptr<LiveView> live_;  // browsers holding websockets, if it has `live`
};

}  // namespace archlab
