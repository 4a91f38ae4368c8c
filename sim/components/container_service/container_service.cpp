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

// One account for the model: every container service names the same quota, and the tasks they start
// with fit in it.
void check_vcpu_account(const nlohmann::json& params, const std::string& path, const nlohmann::json& document, std::vector<Problem>& problems)
{
  check_image_pull(params, path, document, problems);
  auto quota = params.value("account_vcpu_quota", nlohmann::json());
  double initial_vcpus = 0;
  std::string first_path;  // the account's sum is said once, by the first container service
  for (const auto& [id, component] : document.at("components").items()) {
    if (component.value("type", "") != "container_service")
      continue;
    if (first_path.empty())
      first_path = "components." + id;
    auto other = component.value("account_vcpu_quota", nlohmann::json());
    if (other != quota) {
      problems.push_back({path + ".account_vcpu_quota", "differs from that of container service '" + id + "': the services of a model share one account"});
      return;
    }
    int tasks = component.contains("scaling") ? component.at("scaling").value("desired", component.at("scaling").value("min", 0))
                                              : component.value("instances", 1);
    initial_vcpus += tasks * component.value("task_cpu", 1.0);
  }
  if (!quota.is_null() && path == first_path && initial_vcpus > quota.get<double>() + 1e-9)
    problems.push_back({path + ".account_vcpu_quota", "the tasks the model starts with take " + number_text(initial_vcpus) +
                                                          " vCPU, more than the quota of " + number_text(quota.get<double>())});
}

ServiceRuntime fargate_runtime(const nlohmann::json& params)
{
  double cpu = params.at("task_cpu").get<double>();
  double memory_gb = params.at("task_memory_gb").get<double>();
  return {.type_name = "container_service", .kind = {"task", "fargate.vcpu_hour", cpu, false}, .host_type = "fargate." + number_text(cpu) + "vcpu",
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
  params.push_back(number_param("account_vcpu_quota", "vCPU", nullptr,
                                "Fargate On-Demand vCPU resource count: the vCPUs the account's tasks may run at once in the Region, shared "
                                "by every container service of the model; a launch past it is refused, counted as refused_at_max, and tried "
                                "again (absent: no limit; AWS sets it per account, lower for new ones)")
                       .above(0));
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
      .check_with_model = check_vcpu_account,
      .fault_actions = {"kill", "recover", "hang", "slow", "fail", "zone_outage", "deploy"},
      .signals = {Service::instances_signal(), Service::short_circuited_signal()},
  };
}

}  // namespace archlab
