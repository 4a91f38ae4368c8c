// Container service: an Amazon ECS service on AWS Fargate. It is a service (sim/components/service/)
// whose instances are tasks of a Fargate size: task_cpu vCPUs (the machine its cpu_ms runs on) and
// task_memory_gb, billed per vCPU-hour and per GB-hour from launch to stop; `instances` is the
// service's desired count, `scaling` its service auto scaling, `image_pull` the path each new task
// pulls its image through.
#pragma once

#include "sim/core/registry.hpp"

namespace archlab {

ComponentType container_service_type();

// Fargate's task sizes: which memory sizes (GB) go with a CPU size (vCPUs), or "" if they do.
std::string fargate_size_problem(double task_cpu, double task_memory_gb);

}  // namespace archlab
