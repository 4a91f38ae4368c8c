// What a run would cost on AWS: each component lists its billing units (instance-hours, requests,
// capacity units), priced from the dated table in models/prices/ (compiled in, so a run needs no
// file beside the binary).
#pragma once

#include "sim/core/component.hpp"

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace archlab {

const nlohmann::json& price_table();  // models/prices/aws-us-east-1.json
bool has_price(const std::string& item);
std::vector<std::string> priced_items(const std::string& prefix);  // e.g. "ec2." → the EC2 items known
std::vector<std::string> ec2_instance_types();  // "ec2.t3.micro.hour" → "t3.micro", for an instance_type choice

// {"total", "per_hour", "by_component", "lines": [{component, item, quantity, unit_price, usd}], "prices"}
nlohmann::json cost_summary(const std::vector<Component*>& components, double end_s);

}  // namespace archlab
