// Recognises models that queueing theory can solve — one station (M/M/c, M/M/c/K, M/D/1, M/G/1)
// or an open Jackson network of exponential stations joined by "next" routes — and predicts
// their figures, so the simulator can be held to theory.
#pragma once

#include "sim/theory/queueing_formulas.hpp"

#include <nlohmann/json.hpp>
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
};

// `components` is a validated model's components. Throws InputError saying why a model is not
// one of the solvable kinds.
Prediction predict(const nlohmann::json& components, const std::string& model_dir);

}  // namespace archlab::theory
