// The most workers one service or consumer group may have (each is a slot in memory for the whole
// run): instances, or the scaling group's max, times the workers of one instance.
#pragma once

#include "sim/core/json_io.hpp"
#include "sim/core/problems.hpp"

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace archlab {

inline constexpr double max_workers = 1e6;

inline void check_worker_count(const nlohmann::json& params, const std::string& per_instance_field, const std::string& path,
                               std::vector<Problem>& problems)
{
  bool is_scaled = params.contains("scaling") && params.at("scaling").contains("max");
  double instances = is_scaled ? params.at("scaling").at("max").get<double>() : params.at("instances").get<double>();
  double workers = instances * params.at(per_instance_field).get<double>();
  if (workers > max_workers)
    problems.push_back({join_path(path, per_instance_field), "makes " + std::to_string(static_cast<long long>(workers)) + " workers (" +
                                                                 (is_scaled ? "scaling.max" : "instances") + " × " + per_instance_field +
                                                                 "); at most 1,000,000"});
}

}  // namespace archlab
