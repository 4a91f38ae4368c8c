// Recognises models that queueing theory can solve — one station (M/M/c, M/M/c/K, M/D/1, M/G/1)
// or an open Jackson network of exponential stations joined by "next" routes — and predicts
// their figures, so the simulator can be held to theory.
#pragma once

#include "sim/resilience/retry_theory.hpp"
#include "sim/theory/queueing_formulas.hpp"

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace archlab::theory {

struct StationPrediction {
  std::string id;
  std::string formula;  // "M/M/4", "M/G/1", ...
  QueueFigures figures;
};

struct Prediction {
  std::string network;  // what the model was recognised as
  std::vector<StationPrediction> stations;
  double mean_response_s = 0;       // end to end, over all clients
  double blocking_probability = 0;  // share of arrivals rejected
  double throughput_per_s = 0;
  // Percentiles of the end-to-end response time, where a closed form exists (one M/M/c station); 0 otherwise.
  double response_p95_s = 0;
  double response_p99_s = 0;
  // Retries into one M/M/1 server (retry_load_states): the callers' rate, the server's, the attempt
  // timeout, the immediate retries, and the states the fixed-point model finds.
  struct Retries {
    std::string client;
    std::string server;
    double arrival_per_s = 0;
    double service_per_s = 0;
    double timeout_s = 0;
    int retries = 0;
    RetryLoadStates states;
  };
  std::optional<Retries> retries;
};

// `components` is a validated model's components. Throws InputError saying why a model is not
// one of the solvable kinds. One client that gives an attempt up after timeout_ms and retries at
// once, into one M/M/1 server, is the fixed-point model of retries (sim/resilience/README.md).
Prediction predict(const nlohmann::json& components, const std::string& model_dir);

}  // namespace archlab::theory
