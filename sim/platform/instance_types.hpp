// What an instance is made of, from models/platform/aws-us-east-1.json (compiled in): an EC2 type's
// vCPUs, CPU speed and network bandwidth, and the links of the region its zones are joined by.
#pragma once

#include <string>
#include <vector>

namespace archlab {

struct InstanceType {
  std::string name;            // "t3.micro"
  int vcpus = 0;
  double cpu_speed = 0;        // in reference vCPUs (1: one second of CPU does one second of `cpu_ms`)
  double network_baseline_bytes_per_s = 0;
  double network_burst_bytes_per_s = 0;
};

struct LinkSpec {
  double latency_s = 0;  // one way
  double bandwidth_bytes_per_s = 0;
};

struct RegionNetwork {
  LinkSpec within_zone;
  LinkSpec across_zones;
  LinkSpec internet;
  std::string default_zone;  // where an instance of a component that names no zone runs
};

// Every type of the table, in name order.
const std::vector<InstanceType>& instance_types();
// Throws std::invalid_argument naming the type when the table does not list it.
const InstanceType& instance_type(const std::string& name);
const RegionNetwork& region_network();

}  // namespace archlab
