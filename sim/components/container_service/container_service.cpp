#include "sim/components/container_service/container_service.hpp"

#include "sim/components/service/service.hpp"
#include "sim/core/number_text.hpp"
#include "sim/instances/image_pull.hpp"
#include "sim/scaling/deployment.hpp"

#include <array>

namespace archlab {

namespace {
struct FargateSize {
  double cpu;
  double min_memory_gb;
  double max_memory_gb;
};
// AWS ECS, "Task size for Fargate": the memory each CPU size allows.
constexpr std::array<FargateSize, 7> fargate_sizes = {{{0.25, 0.5, 2}, {0.5, 1, 4}, {1, 2, 8}, {2, 4, 16}, {4, 8, 30}, {8, 16, 60}, {16, 32, 120}}};

void check_container_service(const nlohmann::json& params, const std::string& path, std::vector<Problem>& problems)
{
  Service::check_shared(params, path, problems);
  auto problem = fargate_size_problem(params.at("task_cpu").get<double>(), params.at("task_memory_gb").get<double>());
  if (!problem.empty())
    problems.push_back({path + (problem.rfind("task_cpu", 0) == 0 ? ".task_cpu" : ".task_memory_gb"), problem});
}

ServiceRuntime fargate_runtime(const nlohmann::json& params)
{
  double cpu = params.at("task_cpu").get<double>();
  double memory_gb = params.at("task_memory_gb").get<double>();
  return {.type_name = "container_service", .kind = {"task", "fargate.vcpu_hour"}, .host_type = "fargate." + number_text(cpu) + "vcpu",
          .billed_per_hour = {{"fargate.vcpu_hour", cpu}, {"fargate.gb_hour", memory_gb}}, .replaces_unhealthy = true};
}
}  // namespace

std::string fargate_size_problem(double task_cpu, double task_memory_gb)
{
  for (const auto& size : fargate_sizes) {
    if (size.cpu != task_cpu)
      continue;
    if (task_memory_gb < size.min_memory_gb || task_memory_gb > size.max_memory_gb)
      return "a task of " + number_text(task_cpu) + " vCPU takes " + number_text(size.min_memory_gb) + " to " + number_text(size.max_memory_gb) +
             " GB of memory on Fargate";
    return "";
  }
  return "task_cpu must be a Fargate size: 0.25, 0.5, 1, 2, 4, 8 or 16 vCPU";
}

ComponentType container_service_type()
{
  auto params = Service::shared_params();
  params.insert(params.end() - 2, number_param("task_cpu", "vCPU", 1, "the task's CPU, a Fargate size: 0.25, 0.5, 1, 2, 4, 8 or 16 vCPU; "
                                                                      "cpu_ms runs on it, and it is billed per vCPU-hour").above(0).at_most(16));
  params.insert(params.end() - 2, number_param("task_memory_gb", "GB", 2, "the task's memory, within what its CPU size allows (1 vCPU: 2 to "
                                                                          "8 GB); billed per GB-hour").above(0).at_most(120));
  params.push_back(deployment_param());
  return {
      .name = "container_service",
      .summary = "an ECS service of Fargate tasks: tasks × concurrency workers with waiting lines, a desired count kept by service "
                 "auto scaling, billed per vCPU- and GB-hour",
      .aws_counterpart = "Amazon ECS service on AWS Fargate",
      .part_kind = PartKind::compute,
      .params = std::move(params),
      .create = [](const ComponentSetup& setup) -> std::unique_ptr<Component> { return std::make_unique<Service>(setup, fargate_runtime(setup.params)); },
      .check = check_container_service,
      .operations = {plain_request()},
      .reference_rules = {{"scaling.policies[].queue", {"queue"}}, {"image_pull.routes[].through", {"nat_gateway", "vpc_endpoint"}}},
      .check_with_model = check_image_pull,
      .fault_actions = {"kill", "recover", "hang", "slow", "fail", "zone_outage", "deploy"},
      .signals = {Service::instances_signal()},
  };
}

}  // namespace archlab
